package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write failures say which file and why, not the operating system's bare (and misleading) answer. */
class FileProblemsTest {

    @TempDir
    Path tmp;

    @Test
    void aFullDiskNamesTheFileBeingWritten() {
        // /dev/full answers every write with ENOSPC, as a full disk does.
        Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "a Linux /dev/full");
        Path shown = tmp.resolve("model.safetensors");
        assertThatThrownBy(() -> AtomicFiles.writeDurably(Path.of("/dev/full"), new byte[4096], shown))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write " + shown + ": No space left on device (the disk is full)");
    }

    @Test
    void aFileInTheWayOfADirectoryIsNamed() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes"), "x");
        assertThatThrownBy(() -> FileProblems.createDirectories(file.resolve("run/best")))
                .hasMessage("cannot create the directory " + file.resolve("run/best") + ": " + file + " is a file, not a directory");
        assertThatThrownBy(() -> AtomicFiles.write(file.resolve("config.json"), new byte[1]))
                .hasMessageContaining(file + " is a file, not a directory");
    }

    @Test
    void theKernelsFileSystemsAreNamedNotCalledMissing() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
        assertThatThrownBy(() -> FileProblems.createDirectories(Path.of("/proc/gpt4j-test/run")))
                .hasMessage("cannot create the directory /proc/gpt4j-test/run: /proc is on the proc file system,"
                        + " a view the kernel keeps, which holds no user files");
    }
}
