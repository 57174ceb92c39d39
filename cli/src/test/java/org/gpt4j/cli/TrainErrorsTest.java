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
        assertThat(error("train", "--data", other.toString(), "--resume", run.toString(), "--steps", "4"))
                .contains("differs from the one");
        Path upper = Files.writeString(tmp.resolve("upper.txt"), Files.readString(data).toUpperCase());
        assertThat(error("train", "--data", upper.toString(), "--resume", run.toString(), "--steps", "4"))
                .contains("upper.txt: character 'A'").contains("not in the vocabulary");
        // A new run never overwrites one.
        assertThat(error(TrainCommandTest.trainArgs(data, run))).contains("already holds a training run").contains("--resume");
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
}
