package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finetune --model BERT_DIR}: BERT's fine-tuning through the same command, data and
 * outputs as GPT-1's, then {@code evaluate-task}, {@code classify} and {@code fill-mask} on what it
 * wrote; and the options that belong to GPT-1 refused for a BERT.
 */
class BertFineTuneCommandTest {

    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "the", "film", "was", "good", "bad", "great", "awful", "a", "plot", ".", "it");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path model;

    @BeforeEach
    void initBert() throws Exception {
        model = TinyBert.init(tmp, VOCAB, 16);
    }

    private Path tsv(String name, String header, String... rows) throws Exception {
        return Files.writeString(tmp.resolve(name), header + "\n" + String.join("\n", rows) + "\n");
    }

    @Test
    void finetuneABertThenEvaluateClassifyAndFillMask() throws Exception {
        String[] rows = {"the film was good .\tpositive", "the film was bad .\tnegative", "a great plot .\tpositive",
            "an awful plot .\tnegative", "it was great .\tpositive", "it was awful .\tnegative", "good film .\tpositive",
            "bad film .\tnegative"};
        Path train = tsv("train.tsv", "sentence\tlabel", rows);
        Path dev = tsv("dev.tsv", "sentence\tlabel", "the plot was great .\tpositive", "the plot was bad .\tnegative",
                "it was good .\tpositive", "a bad film .\tnegative");
        Path out = tmp.resolve("ft");
        Cli.Result r = Cli.run("finetune", "--task", "classification", "--model", model.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString(), "--epochs", "10", "--batch", "4", "--lr", "3e-2",
                "--patience", "0", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        JsonNode summary = JSON.readTree(lines[lines.length - 1]);
        assertThat(summary.get("lm_weight").asDouble()).isZero();
        assertThat(summary.get("steps").asInt()).isEqualTo(20);
        assertThat(summary.get("dev_accuracy").asDouble()).as("a separable task, learnt").isEqualTo(1.0);
        JsonNode config = JSON.readTree(out.resolve("best/config.json").toFile());
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("BertForSequenceClassification");
        assertThat(config.get("gpt4j_task").get("start_token_id").asInt()).as("[CLS]").isEqualTo(2);
        assertThat(config.get("gpt4j_task").get("extract_token_id").asInt()).as("[SEP]").isEqualTo(3);
        assertThat(out.resolve("best/vocab.txt")).exists();
        assertThat(out.resolve("metrics.jsonl")).exists();

        Path best = out.resolve("best");
        Cli.Result e = Cli.run("evaluate-task", "--model", best.toString(), "--data", dev.toString(), "--json");
        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(JSON.readTree(e.out()).get("accuracy").asDouble()).isEqualTo(1.0);

        Cli.Result c = Cli.run("classify", "--model", best.toString(), "--text", "the film was great .");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out().strip()).matches("positive\t0\\.\\d{4}");

        Cli.Result f = Cli.run("fill-mask", "--model", best.toString(), "--text", "the film was [MASK] .", "--json");
        assertThat(f.exitCode()).as("a fine-tuned BERT is still a masked LM: " + f.err()).isZero();
    }

    @Test
    void entailmentPairsGetSegmentsAndMultipleChoiceOneSequencePerOption() throws Exception {
        Path train = tsv("rte.tsv", "sentence1\tsentence2\tlabel", "the film was good .\tit was good .\tentailment",
                "the film was good .\tit was bad .\tnot_entailment", "a great plot .\tit was great .\tentailment",
                "a great plot .\tit was awful .\tnot_entailment");
        Path out = tmp.resolve("rte");
        Cli.Result r = Cli.run("finetune", "--task", "entailment", "--model", model.toString(), "--train", train.toString(),
                "--dev", train.toString(), "--out", out.toString(), "--epochs", "1", "--batch", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("BERT").contains("classifier on the pooled [CLS]");
        Cli.Result c = Cli.run("classify", "--model", out.toString(), "--text", "the film was good .", "--text-pair", "it was good .",
                "--json");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(JSON.readTree(c.out()).get("probabilities").size()).isEqualTo(2);

        Path copa = Files.writeString(tmp.resolve("copa.jsonl"),
                "{\"premise\": \"the film was good .\", \"choice1\": \"it was great .\", \"choice2\": \"it was awful .\", \"label\": 0}\n"
                        + "{\"premise\": \"the film was bad .\", \"choice1\": \"it was great .\", \"choice2\": \"it was awful .\", \"label\": 1}\n");
        Path mc = tmp.resolve("mc");
        Cli.Result m = Cli.run("finetune", "--task", "multiple-choice", "--model", model.toString(), "--train", copa.toString(),
                "--dev", copa.toString(), "--out", mc.toString(), "--epochs", "1", "--batch", "2");
        assertThat(m.exitCode()).as(m.err()).isZero();
        JsonNode config = JSON.readTree(mc.resolve("config.json").toFile());
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("BertForMultipleChoice");
        Cli.Result choose = Cli.run("classify", "--model", mc.toString(), "--text", "the film was good .", "--choice", "it was great .",
                "--choice", "it was awful .");
        assertThat(choose.exitCode()).as(choose.err()).isZero();
    }

    @Test
    void aClassifierFineTunedElsewhereReadsTextsAndPairs() throws Exception {
        // transformers' own BertForSequenceClassification directory (core's fixture): no gpt4j_task, no MLM head
        Path hf = Path.of("..", "core", "src", "test", "resources", "fixtures", "bert-finetune", "hf-classifier");
        Path pairs = tsv("pairs.tsv", "sentence1\tsentence2\tlabel", "the film was good .\tit was great .\tpositive",
                "a bad story\tthe plot was good\tnegative");
        Cli.Result e = Cli.run("evaluate-task", "--model", hf.toString(), "--task", "entailment", "--data", pairs.toString(), "--json");
        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(JSON.readTree(e.out()).get("n").asInt()).isEqualTo(2);
        Cli.Result c = Cli.run("classify", "--model", hf.toString(), "--text", "the film was good .", "--text-pair", "it was great .",
                "--json");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(JSON.readTree(c.out()).get("probabilities").has("neutral")).isTrue();
        Cli.Result single = Cli.run("classify", "--model", hf.toString(), "--text", "The film was good.");
        assertThat(single.exitCode()).as(single.err()).isZero();
        Cli.Result embed = Cli.run("embed", "--model", hf.toString(), "--text", "the film was good .", "--json");
        assertThat(embed.exitCode()).as("sentence vectors need no MLM head: " + embed.err()).isZero();
        Cli.Result fill = Cli.run("fill-mask", "--model", hf.toString(), "--text", "the film was [MASK] .");
        assertThat(fill.exitCode()).isEqualTo(1);
        assertThat(fill.err()).contains("pre-training heads");
        Cli.Result mc = Cli.run("evaluate-task", "--model", hf.toString(), "--task", "multiple-choice", "--data", pairs.toString());
        assertThat(mc.exitCode()).isEqualTo(1);
        assertThat(mc.err()).contains("was fine-tuned for classification");
    }

    @Test
    void gptOnlyOptionsAreOneClearErrorAndWriteNothing() throws Exception {
        Path train = tsv("train.tsv", "sentence\tlabel", "good .\tpositive", "bad .\tnegative");
        Path out = tmp.resolve("never");
        for (String[] extra : new String[][] {{"--lm-weight", "0.5"}, {"--lora-rank", "4"}}) {
            Cli.Result r = Cli.run("finetune", "--task", "classification", "--model", model.toString(), "--train", train.toString(),
                    "--dev", train.toString(), "--out", out.toString(), extra[0], extra[1]);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains(extra[0].equals("--lm-weight") ? "--lm-weight" : "LoRA").contains("BERT");
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
            assertThat(out).doesNotExist();
        }
        Path chat = Files.writeString(tmp.resolve("chat.jsonl"), "{\"prompt\": \"hi\", \"response\": \"yo\"}\n");
        Cli.Result instruct = Cli.run("finetune", "--task", "instruction", "--model", model.toString(), "--train", chat.toString(),
                "--dev", chat.toString(), "--out", out.toString());
        assertThat(instruct.exitCode()).isEqualTo(1);
        assertThat(instruct.err()).contains("does not generate");
        assertThat(out).doesNotExist();
        Cli.Result zero = Cli.run("finetune", "--task", "classification", "--model", model.toString(), "--train", train.toString(),
                "--dev", train.toString(), "--out", out.toString(), "--lm-weight", "0", "--epochs", "1");
        assertThat(zero.exitCode()).as("lambda 0 is what a BERT does anyway: " + zero.err()).isZero();
    }
}
