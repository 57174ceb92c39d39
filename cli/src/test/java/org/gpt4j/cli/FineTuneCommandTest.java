package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finetune}, {@code evaluate-task} and {@code classify} end to end on a tiny model: the
 * JSON lines they promise, a directory the other two read, and one error line for bad input.
 */
class FineTuneCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path base() throws Exception {
        Path dir = tmp.resolve("base");
        CharTokenizer tok = CharTokenizer.fromText("abcdefghijklmnopqrstuvwxyz .");
        ModelDirectory.save(GptInit.randomGpt(GptConfig.gpt2(1, 2, 16, 32, tok.vocabSize()), 1), dir);
        Tokenizers.save(tok, dir);
        return dir;
    }

    private Path tsv(String name, String rows) throws Exception {
        return Files.writeString(tmp.resolve(name), "sentence\tlabel\n" + rows);
    }

    @Test
    void finetuneThenEvaluateAndClassify() throws Exception {
        Path base = base();
        Path train = tsv("train.tsv", "a fine film .\tgood\na dull film .\tbad\nfine .\tgood\ndull .\tbad\n");
        Path dev = tsv("dev.tsv", "fine fine .\tgood\ndull dull .\tbad\n");
        Path out = tmp.resolve("ft");
        Cli.Result r = Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString(), "--epochs", "2", "--batch", "2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(MAPPER.readTree(lines[0]).get("epoch").asInt()).isEqualTo(1);
        JsonNode summary = MAPPER.readTree(lines[2]);
        assertThat(summary.has("dev_accuracy") && summary.has("best_epoch") && summary.has("seconds")).as(lines[2]).isTrue();
        assertThat(summary.get("steps").asInt()).isEqualTo(4);
        assertThat(out.resolve("best/config.json")).exists();

        Cli.Result e = Cli.run("evaluate-task", "--model", out.toString(), "--task", "classification", "--data", dev.toString(), "--json");
        assertThat(e.exitCode()).as(e.err()).isZero();
        JsonNode m = MAPPER.readTree(e.out());
        assertThat(m.get("n").asInt()).isEqualTo(2);
        assertThat(m.get("accuracy").asDouble()).isEqualTo(summary.get("last_dev_accuracy").asDouble());
        assertThat(m.get("confusion").size()).isEqualTo(2);
        assertThat(m.has("macro_f1")).isTrue();

        Cli.Result c = Cli.run("classify", "--model", out.toString(), "--text", "fine film");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out().strip()).matches("(good|bad)\t0\\.\\d{4}");

        Cli.Result again = Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a model").contains("--force");
    }

    @Test
    void badRowsAndUnknownCharactersAreOneErrorLineWithFileAndLine() throws Exception {
        Path base = base();
        Path bad = tsv("bad.tsv", "fine .\tgood\nno label here\n");
        Path dev = tsv("dev.tsv", "fine .\tgood\n");
        Cli.Result r = Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", bad.toString(),
                "--dev", dev.toString(), "--out", tmp.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + bad + ":3: expected 2 tab-separated fields (as the header), found 1");

        Path digits = tsv("digits.tsv", "fine .\tgood\nrated 5 stars\tbad\n");
        Cli.Result d = Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", digits.toString(),
                "--dev", dev.toString(), "--out", tmp.resolve("y").toString());
        assertThat(d.exitCode()).isEqualTo(1);
        assertThat(d.err()).startsWith("error: " + digits + ":3: ").contains("'5'").doesNotContain("\tat ");
    }
}
