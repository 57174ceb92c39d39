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

    private Path jsonl(String name, String... rows) throws Exception {
        return Files.writeString(tmp.resolve(name), String.join("\n", rows) + "\n");
    }

    private static String copa(String premise, String question, String a, String b, int label) {
        return "{\"premise\": \"" + premise + "\", \"question\": \"" + question + "\", \"choice1\": \"" + a
                + "\", \"choice2\": \"" + b + "\", \"label\": " + label + ", \"idx\": 0}";
    }

    @Test
    void dropoutTrainsDifferentlyIsSavedAndIsCheckedBeforeAnythingIsWritten() throws Exception {
        Path base = base();
        Path train = tsv("train.tsv", "a fine film .\tgood\na dull film .\tbad\nfine .\tgood\ndull .\tbad\n");
        Path dev = tsv("dev.tsv", "fine fine .\tgood\ndull dull .\tbad\n");
        double[] trainLoss = new double[2];
        String[] dropouts = {"0", "0.3"};
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("ft-" + i);
            Cli.Result r = Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train",
                    train.toString(), "--dev", dev.toString(), "--out", out.toString(), "--epochs", "1", "--batch", "2",
                    "--dropout", dropouts[i], "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            trainLoss[i] = MAPPER.readTree(r.out().strip().split("\n")[0]).get("train_loss").asDouble();
            JsonNode config = MAPPER.readTree(out.resolve("config.json").toFile());
            assertThat(config.get("resid_pdrop").asDouble()).isEqualTo(Double.parseDouble(dropouts[i]));
        }
        assertThat(trainLoss[1]).isNotEqualTo(trainLoss[0]);

        Path out = tmp.resolve("ft-bad");
        Cli.Result bad = Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train",
                train.toString(), "--dev", dev.toString(), "--out", out.toString(), "--dropout", "1");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("--dropout must be in [0, 1)");
        assertThat(out).doesNotExist();
    }

    @Test
    void multipleChoiceFromJsonLinesThenEvaluateAndClassifyWithChoices() throws Exception {
        Path base = base();
        Path train = jsonl("train.jsonl", copa("the glass fell .", "effect", "it broke .", "it sang .", 0),
                copa("the road was wet .", "cause", "the sun shone .", "it rained .", 1),
                copa("the man was tired .", "effect", "he slept .", "he ran .", 0),
                copa("the ice melted .", "cause", "it was cold .", "it was warm .", 1));
        Path dev = jsonl("dev.jsonl", copa("the cup fell .", "effect", "it broke .", "it sang .", 0),
                copa("the floor was wet .", "cause", "the sun shone .", "it rained .", 1));
        Path out = tmp.resolve("mc");
        // The char-level base has no capitals: COPA's questions are rephrased in its alphabet.
        String[] prompts = {"--question-prompt", "cause=why", "--question-prompt", "effect=so"};
        Cli.Result r = Cli.run(concat(new String[] {"finetune", "--task", "multiple-choice", "--model", base.toString(), "--train",
                train.toString(), "--dev", dev.toString(), "--out", out.toString(), "--epochs", "2", "--batch", "2", "--json"},
                prompts));
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(3);
        JsonNode summary = MAPPER.readTree(lines[2]);
        assertThat(summary.get("steps").asInt()).isEqualTo(4);
        assertThat(MAPPER.readTree(out.resolve("config.json").toFile()).get("gpt4j_task").get("format").asText())
                .isEqualTo("multiple-choice");

        Cli.Result e = Cli.run(concat(new String[] {"evaluate-task", "--model", out.toString(), "--task", "multiple-choice",
                "--data", dev.toString(), "--json"}, prompts));
        assertThat(e.exitCode()).as(e.err()).isZero();
        JsonNode m = MAPPER.readTree(e.out());
        assertThat(m.get("n").asInt()).isEqualTo(2);
        assertThat(m.get("accuracy").asDouble()).isEqualTo(summary.get("last_dev_accuracy").asDouble());
        assertThat(m.get("confusion").size()).isEqualTo(2);
        assertThat(m.get("labels").toString()).isEqualTo("[\"0\",\"1\"]");

        Cli.Result c = Cli.run("classify", "--model", out.toString(), "--text", "the vase fell .", "--question", "so",
                "--choice", "it broke .", "--choice", "it sang .", "--choice", "it slept .");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out().strip()).matches("[012]\t0\\.\\d{4}\tit (broke|sang|slept) \\.");
        Cli.Result cj = Cli.run("classify", "--model", out.toString(), "--text", "the vase fell .", "--choice", "it broke .",
                "--choice", "it sang .", "--json");
        assertThat(cj.exitCode()).as(cj.err()).isZero();
        JsonNode j = MAPPER.readTree(cj.out());
        assertThat(j.get("probabilities").size()).isEqualTo(2);
        assertThat(j.get("option").asText()).isEqualTo(j.get("choice").asInt() == 0 ? "it broke ." : "it sang .");

        Cli.Result one = Cli.run("classify", "--model", out.toString(), "--text", "the vase fell .", "--choice", "it broke .");
        assertThat(one.exitCode()).isEqualTo(1);
        assertThat(one.err()).contains("at least 2 options (--choice)");
        Cli.Result pair = Cli.run("classify", "--model", out.toString(), "--text", "x", "--text-pair", "y");
        assertThat(pair.exitCode()).isEqualTo(1);
        assertThat(pair.err()).contains("does not read --text-pair");

        Path bad = jsonl("bad.jsonl", copa("a", "effect", "b", "c", 0), "{\"premise\": \"a\", \"choice1\": \"b\"");
        Cli.Result b = Cli.run("finetune", "--task", "multiple-choice", "--model", base.toString(), "--train", bad.toString(),
                "--dev", dev.toString(), "--out", tmp.resolve("x").toString());
        assertThat(b.exitCode()).isEqualTo(1);
        assertThat(b.err()).startsWith("error: " + bad + ":2: not valid JSON").doesNotContain("\tat ");
    }

    @Test
    void similarityReadsBothOrdersFromATsvAndClassifiesAPair() throws Exception {
        Path base = base();
        String header = "sentence1\tsentence2\tlabel\n";
        Path train = Files.writeString(tmp.resolve("train.tsv"), header
                + "a cat sat .\ta cat sat down .\t1\na dog ran .\tthe sea is blue .\t0\nthe sun .\tthe sun shone .\t1\nrain .\ta cat .\t0\n");
        Path dev = Files.writeString(tmp.resolve("dev.tsv"), header + "a dog .\ta dog ran .\t1\nsun .\ta cat .\t0\n");
        Path out = tmp.resolve("sim");
        Cli.Result r = Cli.run("finetune", "--task", "similarity", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString(), "--epochs", "1", "--batch", "2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Cli.Result e = Cli.run("evaluate-task", "--model", out.toString(), "--task", "similarity", "--data", dev.toString(), "--json");
        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(MAPPER.readTree(e.out()).get("n").asInt()).isEqualTo(2);
        Cli.Result c = Cli.run("classify", "--model", out.toString(), "--text", "a cat", "--text-pair", "a cat sat");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out().strip()).matches("[01]\t0\\.\\d{4}");
        Cli.Result swapped = Cli.run("classify", "--model", out.toString(), "--text", "a cat sat", "--text-pair", "a cat");
        assertThat(swapped.out()).isEqualTo(c.out());
        Cli.Result missing = Cli.run("classify", "--model", out.toString(), "--text", "a cat");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("needs a second text (--text-pair)");
        Cli.Result wrongTask = Cli.run("evaluate-task", "--model", out.toString(), "--task", "multiple-choice", "--data", dev.toString());
        assertThat(wrongTask.exitCode()).isEqualTo(1);
        assertThat(wrongTask.err()).contains("was fine-tuned for similarity, not multiple-choice");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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
