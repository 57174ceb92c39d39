package org.gpt4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Says in words why a file or directory could not be written. The operating system's answer is
 * often misleading on its own: {@code mkdir /proc/x} fails with "no such file", a full disk with
 * "No space left on device" and no file name.
 */
public final class FileProblems {

    /** File systems that hold no user files: the kernel's views of processes, devices and settings. */
    private static final Set<String> VIRTUAL = Set.of("proc", "sysfs", "devpts", "cgroup", "cgroup2", "securityfs",
            "debugfs", "tracefs", "configfs", "pstore", "bpf", "mqueue", "hugetlbfs", "fusectl", "binfmt_misc");

    private FileProblems() {
    }

    /**
     * Creates {@code dir} and its missing parents.
     *
     * @throws IOException naming the directory and what stands in the way: a file where a
     *                     directory should be, a read-only or virtual file system, no permission
     */
    public static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the directory " + dir + ": " + obstacle(dir, e), e);
        }
    }

    /** Why writing under {@code path} failed with {@code e}, read from the nearest existing ancestor. */
    static String obstacle(Path path, IOException e) {
        Path p = path.toAbsolutePath().normalize();
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return reason(e);
        }
        if (!Files.isDirectory(existing)) {
            return existing + " is a file, not a directory";
        }
        if (existing.equals(p)) {
            return reason(e);
        }
        try {
            FileStore store = Files.getFileStore(existing);
            String type = store.type().toLowerCase(Locale.ROOT);
            if (VIRTUAL.contains(type)) {
                return existing + " is on the " + type + " file system, a view the kernel keeps, which holds no user files";
            }
            if (store.isReadOnly()) {
                return existing + " is on a read-only file system";
            }
        } catch (IOException ignored) {
            // no more to learn than the error itself
        }
        if (e instanceof AccessDeniedException || !Files.isWritable(existing)) {
            return "permission denied: " + existing + " is not writable";
        }
        return reason(e);
    }

    /** The operating system's reason, without the file name Java puts in front of it. */
    public static String reason(IOException e) {
        String m;
        if (e instanceof NoSuchFileException) {
            m = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            m = "permission denied";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            m = f.getReason();
        } else {
            m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        }
        return m.contains("No space left") ? m + " (the disk is full)" : m;
    }
}
