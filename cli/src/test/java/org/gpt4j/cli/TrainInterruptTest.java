package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gpt4j.train.Checkpoint;
import org.gpt4j.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C for real: a {@code gpt4j train} process gets SIGINT mid-run, finishes its step, saves and
 * exits; {@code --resume} in another JVM then produces exactly the losses of an uninterrupted run.
 */
class TrainInterruptTest {

    @TempDir
    Path tmp;

    static final String[] RUN = {"--steps", "1500", "--eval-every", "500", "--sample-tokens", "0"};

    @Test
    void sigintSavesAndResumeContinuesWithIdenticalLosses() throws Exception {
        Path data = TrainCommandTest.corpus(tmp);
        Path straight = tmp.resolve("straight");
        Cli.Result full = Cli.run(TrainCommandTest.trainArgs(data, straight, RUN));
        assertThat(full.exitCode()).as(full.err()).isZero();

        Path dir = tmp.resolve("interrupted");
        // A shell's background job (`./run-tests &`) starts with SIGINT ignored, which its children
        // inherit, and a JVM that starts so ignores Ctrl-C: give the run the default disposition.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Gpt4j.class.getName()));
        cmd.addAll(List.of(TrainCommandTest.trainArgs(data, dir, RUN)));
        Path stdout = tmp.resolve("stdout.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(tmp.resolve("stderr.txt").toFile())
                .start();
        Path metrics = dir.resolve(MetricsLog.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stepLines(metrics) < 20 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(p.isAlive()).as("the run is still going when interrupted").isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        long stoppedAt = Checkpoint.readState(dir).step();
        assertThat(out).contains("stopped after step " + stoppedAt + "; checkpoint saved in " + dir);
        assertThat(stoppedAt).isBetween(20L, 1499L);

        Cli.Result rest = Cli.run("train", "--data", data.toString(), "--resume", dir.toString());
        assertThat(rest.exitCode()).as(rest.err()).isZero();
        List<Double> expected = losses(straight.resolve(MetricsLog.FILE));
        List<Double> resumed = losses(metrics);
        System.out.printf("SIGINT at step %d, resumed in a new JVM: %d losses identical to the uninterrupted run: %s%n",
                stoppedAt, expected.size(), resumed.equals(expected));
        assertThat(resumed).hasSize(1500).containsExactlyElementsOf(expected);
    }

    private static long stepLines(Path metrics) throws Exception {
        if (!Files.exists(metrics)) {
            return 0;
        }
        return Files.readAllLines(metrics).stream().filter(l -> l.contains("\"type\":\"step\"")).count();
    }

    private static List<Double> losses(Path metrics) throws Exception {
        return MetricsLog.read(metrics).stream().filter(n -> n.get("type").asText().equals("step"))
                .map(n -> n.get("loss").asDouble()).toList();
    }
}
