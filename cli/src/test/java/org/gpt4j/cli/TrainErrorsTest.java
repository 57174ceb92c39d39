package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code train}: one {@code error:} line naming the problem, exit code 1, no stack trace. */
class TrainErrorsTest {

    @TempDir
    Path tmp;

    private String error(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        return r.err();
    }

    @Test
    void anEmptyCorpus() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        assertThat(error(TrainCommandTest.trainArgs(empty, tmp.resolve("run")))).contains("empty.txt is empty");
    }

    @Test
    void aCorpusShorterThanTheContext() throws Exception {
        Path small = Files.writeString(tmp.resolve("small.txt"), "to be or not to be, that is the question");
        assertThat(error(TrainCommandTest.trainArgs(small, tmp.resolve("run"))))
                .contains("small.txt is too short: 40 tokens").contains("--context 16 needs at least");
    }

    @Test
    void aFileThatIsNotUtf8() throws Exception {
        Path latin1 = tmp.resolve("latin1.txt");
        Files.write(latin1, "na\u00efve r\u00e9sum\u00e9 ".repeat(100).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(error(TrainCommandTest.trainArgs(latin1, tmp.resolve("run"))))
                .contains("latin1.txt is not UTF-8 text: invalid byte 0xEF at offset 2");
    }

    @Test
    void resumingADirectoryOfADifferentConfiguration() throws Exception {
        Path data = TrainCommandTest.corpus(tmp);
        Path run = tmp.resolve("run");
        assertThat(Cli.run(TrainCommandTest.trainArgs(data, run, "--steps", "2")).exitCode()).isZero();
        assertThat(error("train", "--data", data.toString(), "--resume", run.toString(), "--layers", "3", "--steps", "4"))
                .contains("--layers 3 (the run used 1)");
        assertThat(error("train", "--data", data.toString(), "--resume", tmp.toString()))
                .contains("training_state.json").contains("no training state");
        Path other = Files.writeString(tmp.resolve("other.txt"), new StringBuilder(Files.readString(data)).reverse());
        byte[] tokens = Files.readAllBytes(run.resolve(TrainCommand.TOKENS_FILE));
        assertThat(error("train", "--data", other.toString(), "--resume", run.toString(), "--steps", "4"))
                .contains("this run was trained on a different corpus");
        // Refused before tokenising: the run's token file is the run's.
        assertThat(Files.readAllBytes(run.resolve(TrainCommand.TOKENS_FILE))).isEqualTo(tokens);
        Path upper = Files.writeString(tmp.resolve("upper.txt"), Files.readString(data).toUpperCase());
        assertThat(error("train", "--data", upper.toString(), "--resume", run.toString(), "--steps", "4"))
                .contains("this run was trained on a different corpus");
        // A new run never overwrites one.
        assertThat(error(TrainCommandTest.trainArgs(data, run))).contains("already holds a training run").contains("--resume");
    }

    @Test
    void aBatchTheHeapCannotHoldIsRefusedBeforeTheFirstStepAndASmallerOneThenRuns() throws Exception {
        Path data = TrainCommandTest.corpus(tmp);
        Path run = tmp.resolve("run");
        // 100,000 sequences of 256 tokens: about 100 GB of activations, far past the test's heap
        assertThat(error(TrainCommandTest.trainArgs(data, run, "--batch", "100000", "--context", "256")))
                .contains("training at --batch 100000 x --context 256").contains("GB of memory")
                .contains("GPT4J_JAVA_OPTS=-Xmx").contains("use a smaller --batch (--grad-accum N keeps the tokens per step)");
        assertThat(run.resolve("checkpoint.json")).doesNotExist();
        assertThat(Cli.run(TrainCommandTest.trainArgs(data, run, "--batch", "4", "--context", "256", "--steps", "1"))
                .exitCode()).isZero();
    }

    @Test
    void aDivergingRunNamesTheStep() throws Exception {
        Path data = TrainCommandTest.corpus(tmp);
        assertThat(error(TrainCommandTest.trainArgs(data, tmp.resolve("run"), "--lr", "1e30", "--min-lr", "1e29",
                "--steps", "6", "--eval-every", "100"))).containsPattern("diverged at step [2-6]: the loss is (NaN|Infinity)");
    }

    @Test
    void badFlagsNameTheFlag() throws Exception {
        Path data = TrainCommandTest.corpus(tmp);
        assertThat(error(TrainCommandTest.trainArgs(data, tmp.resolve("run"), "--heads", "3"))).contains("--embd (16)")
                .contains("--heads (3)");
        assertThat(error(TrainCommandTest.trainArgs(data, tmp.resolve("run"), "--tokenizer", "bpe:abc"))).contains("bpe:N");
        assertThat(error(TrainCommandTest.trainArgs(data, tmp.resolve("run"), "--tokenizer", "/no/such/dir")))
                .contains("/no/such/dir");
    }

    @Test
    void aFailedStartWritesNothing() throws Exception {
        Path small = Files.writeString(tmp.resolve("small.txt"), "to be or not to be, that is the question");
        Path run = tmp.resolve("new-run");
        assertThat(error(TrainCommandTest.trainArgs(small, run))).contains("is too short");
        assertThat(run).doesNotExist();

        // Nor does --force remove a run before the new one's inputs are checked.
        Path data = TrainCommandTest.corpus(tmp);
        Path kept = tmp.resolve("kept");
        assertThat(Cli.run(TrainCommandTest.trainArgs(data, kept, "--steps", "2")).exitCode()).isZero();
        java.util.Map<String, byte[]> before = snapshot(kept);
        assertThat(error(TrainCommandTest.trainArgs(small, kept, "--force"))).contains("is too short");
        java.util.Map<String, byte[]> after = snapshot(kept);
        assertThat(after).containsOnlyKeys(before.keySet());
        before.forEach((f, bytes) -> assertThat(after.get(f)).as(f).isEqualTo(bytes));
    }

    @Test
    void anOutputWhereNoFileCanBeSaysWhy() throws Exception {
        Path data = TrainCommandTest.corpus(tmp);
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThat(error(TrainCommandTest.trainArgs(data, file.resolve("run"))))
                .contains("cannot create the directory " + file.resolve("run")).contains(file + " is a file, not a directory");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
        assertThat(error(TrainCommandTest.trainArgs(data, Path.of("/proc/gpt4j-run"))))
                .contains("cannot create the directory /proc/gpt4j-run").contains("/proc is on the proc file system")
                .doesNotContain("no such file");
    }

    private static java.util.Map<String, byte[]> snapshot(Path dir) throws java.io.IOException {
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
