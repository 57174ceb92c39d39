package org.gpt4j.evaluate.code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Runs untrusted Python: each program in its own {@code python3 -I} process, in a fresh directory
 * that is deleted afterwards, with stdin closed, a scrubbed environment, rlimits
 * ({@link SandboxLimits}) and a wall-clock timeout after which it and everything it started are
 * killed.
 *
 * <p>Run as root (a container, CI) each slot gets a user of its own (uid {@value #FIRST_UID} + slot,
 * dropped to with {@code setpriv}) and no network ({@code unshare --net}): the process-count limit
 * then holds (it is per user, and root ignores it), the program can write only its own directory
 * and world-writable ones (cleaned of its files afterwards), and every process of that user is
 * killed after each sample, however it detached. Run as another user, the program runs as that
 * user in its own process group: network, the user's files and the process count are then not
 * isolated, which {@link #notIsolated()} says.
 */
public final class Sandbox implements AutoCloseable {

    /** The uid of slot 0 under root. */
    public static final int FIRST_UID = 61000;
    /** The longest wait for a sample's processes to be killed and reaped. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final List<Path> SHARED_TMP = List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm"));

    private final SandboxLimits limits;
    private final boolean ownUsers;
    private final boolean noNetwork;
    private final Path root;
    private final AtomicLong counter = new AtomicLong();

    private Sandbox(SandboxLimits limits, boolean ownUsers, boolean noNetwork, Path root) {
        this.limits = limits;
        this.ownUsers = ownUsers;
        this.noNetwork = noNetwork;
        this.root = root;
    }

    /**
     * A sandbox for this machine: own users and no network when run as root and the tools allow.
     *
     * @throws IllegalStateException when python3 or prlimit cannot be run
     */
    public static Sandbox create(SandboxLimits limits) {
        if (!succeeds("python3", "-c", "pass")) {
            throw new IllegalStateException("python3 is needed to run code samples and was not found on the PATH");
        }
        if (!succeeds("prlimit", "--version")) {
            throw new IllegalStateException("prlimit (util-linux) is needed to limit code samples and was not found");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean ownUsers = root && succeeds("setpriv", "--reuid=" + FIRST_UID, "--regid=" + FIRST_UID, "--clear-groups",
                "true") && succeeds("pkill", "--version");
        boolean noNetwork = ownUsers && succeeds("unshare", "--net", "true");
        try {
            Path dir = Files.createTempDirectory("gpt4j-sandbox");
            // Others may pass through (the sample users reach their own directories), not list.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            return new Sandbox(limits, ownUsers, noNetwork, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox's directory", e);
        }
    }

    /** What this sandbox does not isolate on this machine (empty when everything above holds). */
    public List<String> notIsolated() {
        List<String> out = new ArrayList<>();
        if (!ownUsers) {
            out.add("samples run as this user (not root): they can read and write this user's files, and the "
                    + "process-count limit is not applied");
        }
        if (!noNetwork) {
            out.add("samples can reach the network (unshare --net is not available)");
        }
        return out;
    }

    public SandboxLimits limits() {
        return limits;
    }

    /**
     * Runs a program in slot {@code slot} (one sample at a time per slot; slots run in parallel).
     * Passed means it exited with status 0 within the limits.
     */
    public SampleOutcome run(String program, int slot) {
        long start = System.nanoTime();
        int uid = FIRST_UID + slot;
        Path dir = root.resolve("s" + slot + "-" + counter.incrementAndGet());
        try {
            Files.createDirectory(dir);
            Files.writeString(dir.resolve("program.py"), program, StandardCharsets.UTF_8);
            if (ownUsers) {
                for (Path p : List.of(dir, dir.resolve("program.py"))) {
                    Files.setAttribute(p, "unix:uid", uid);
                    Files.setAttribute(p, "unix:gid", uid);
                }
            }
            ProcessBuilder pb = new ProcessBuilder(command(uid)).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(dir.resolve("stdout").toFile())
                    .redirectError(dir.resolve("stderr").toFile());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            pb.environment().put("HOME", dir.toString());
            pb.environment().put("LANG", "C.UTF-8");
            pb.environment().put("PYTHONHASHSEED", "0");
            Process process = pb.start();
            boolean finished = process.waitFor(limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
            killAll(process, uid);
            long nanos = System.nanoTime() - start;
            if (!finished) {
                return new SampleOutcome(false, "timed out", nanos);
            }
            int status = process.exitValue();
            return status == 0 ? new SampleOutcome(true, "passed", nanos)
                    : new SampleOutcome(false, failure(status, dir.resolve("stderr")), nanos);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run a sample in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a sample ran", e);
        } finally {
            if (ownUsers) {
                killUser(uid);
                removeFilesOf(uid);
            }
            deleteTree(dir);
        }
    }

    private List<String> command(int uid) {
        List<String> cmd = new ArrayList<>();
        if (noNetwork) {
            cmd.addAll(List.of("unshare", "--net", "--"));
        }
        if (ownUsers) {
            cmd.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--no-new-privs", "--"));
        } else {
            cmd.add("setsid");
        }
        long cpu = Math.max(1, (limits.timeout().toMillis() + 999) / 1000 + 1);
        // Soft below hard: the kernel's SIGKILL at an equal hard limit would read as "killed";
        // SIGXCPU at the soft one says that CPU time ran out.
        cmd.addAll(List.of("prlimit", "--as=" + limits.memoryBytes(), "--fsize=" + limits.outputBytes(),
                "--nofile=" + limits.openFiles(), "--cpu=" + cpu + ":" + (cpu + 1), "--core=0"));
        if (ownUsers) {
            cmd.add("--nproc=" + limits.processes());
        }
        cmd.addAll(List.of("--", "python3", "-I", "-B", "program.py"));
        return cmd;
    }

    /** The result text for a non-zero exit: the signal, or the error's last line. */
    private String failure(int status, Path stderr) throws IOException {
        if (status == 128 + 25) {
            return "failed: output limit of " + limits.outputBytes() + " bytes exceeded";
        }
        if (status == 128 + 24) {
            return "timed out (CPU time)";
        }
        if (status == 128 + 9) {
            return "failed: killed";
        }
        String last = "";
        byte[] tail = tail(stderr, 4096);
        for (String line : new String(tail, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                last = line.strip();
            }
        }
        if (last.contains("[Errno 27] File too large")) {
            // Python ignores SIGXFSZ, so the write past RLIMIT_FSIZE fails with EFBIG instead.
            return "failed: output limit of " + limits.outputBytes() + " bytes exceeded";
        }
        if (last.length() > 300) {
            last = last.substring(0, 300) + "...";
        }
        return "failed: " + (last.isEmpty() ? "exit status " + status : last);
    }

    private static byte[] tail(Path file, int bytes) throws IOException {
        try (var ch = Files.newByteChannel(file)) {
            long size = ch.size();
            ch.position(Math.max(0, size - bytes));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(bytes, size));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until full
            }
            return java.util.Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /** The process and whatever it started (and, with own users, everything of that user). */
    private void killAll(Process process, int uid) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!ownUsers) {
            // Its process group: setsid made the program its leader.
            succeeds("kill", "-KILL", "--", "-" + process.pid());
        }
        process.waitFor(5, TimeUnit.SECONDS);
    }

    private static void killUser(int uid) {
        // A fork bomb may be forking while we kill: repeat until pkill finds no process of the user.
        // pkill also finds the killed processes until they are reaped, which their new parent (the
        // init process) may do late: some VMs' init took seconds, and the zombies still count
        // against the next sample's process limit. So wait for them too, up to KILL_WAIT.
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (succeeds("pkill", "-KILL", "-U", Integer.toString(uid)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Files the sample left in the world-writable directories. */
    private static void removeFilesOf(int uid) {
        for (Path shared : SHARED_TMP) {
            if (!Files.isDirectory(shared)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(shared)) {
                for (Path p : entries.toList()) {
                    try {
                        if (((Integer) Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)) == uid) {
                            deleteTree(p);
                        }
                    } catch (IOException | RuntimeException e) {
                        // gone already, or not ours to read
                    }
                }
            } catch (IOException e) {
                // an unreadable shared directory holds nothing of ours to clean
            }
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the next run's temporary-directory cleanup
        }
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Deletes the sandbox's directory. */
    @Override
    public void close() {
        deleteTree(root);
    }

    /** How one run ended. */
    public record SampleOutcome(boolean passed, String result, long nanos) {
    }
}
