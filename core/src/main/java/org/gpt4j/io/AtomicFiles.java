package org.gpt4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers see either the old content or the new, never half of one:
 * write beside it to a temporary file, flush it to the disk, then rename over it. A failure names
 * the file it was writing (a full disk says which file did not fit).
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path tmp = tempBeside(target);
        try {
            writeDurably(tmp, content, target);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes {@code content} to {@code file} (created or truncated) and forces it to the disk;
     * errors name {@code shownAs}, the file the user knows (the target of a temporary file).
     */
    public static void writeDurably(Path file, byte[] content, Path shownAs) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw cannotWrite(shownAs, e);
        }
    }

    /**
     * An IOException saying that {@code file} could not be written and why, in one line ("No space
     * left on device" alone does not say which file was being written).
     */
    public static IOException cannotWrite(Path file, IOException e) {
        if (e instanceof ClosedChannelException) {
            return e; // an interrupted thread: not a problem of the file, and callers look for it
        }
        if (e.getMessage() != null && e.getMessage().startsWith("cannot write " + file)) {
            return e; // already named
        }
        return new IOException("cannot write " + file + ": " + FileProblems.reason(e), e);
    }

    /**
     * A fresh temporary path in the target's directory (so the final rename stays on one file
     * system), readable by others like any file the user writes: createTempFile makes it private
     * (0600), which the rename would carry over to the model files.
     */
    public static Path tempBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        FileProblems.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return tmp;
    }

    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Flushes a directory's entries (the renames into it) to the disk, so that a crash cannot undo
     * a rename that was reported done. Best effort where the platform cannot open a directory.
     */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory: its renames are durable once the call returns.
        }
    }
}
