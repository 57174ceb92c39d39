package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.model.BertConfig;
import org.gpt4j.train.Checkpoint;
import org.gpt4j.train.MetricsLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --arch bert}: MLM + NSP pre-training, its metrics, checkpoints and exact resume. */
class BertTrainCommandTest {

    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "the", "man", "went", "to", "store", ".", "a", "dog", "ran", "##s", "home", "cat", "sat", "on", "mat");
    private static final String[] WORDS = {"the", "man", "went", "to", "store", "a", "dog", "ran", "home", "cat", "sat", "on", "mat"};

    @TempDir
    Path tmp;

    Path vocab;
    Path corpus;

    @BeforeEach
    void corpusAndVocabulary() throws Exception {
        vocab = tmp.resolve("vocab");
        Files.createDirectories(vocab);
        Files.write(vocab.resolve("vocab.txt"), VOCAB);
        SplittableRandom rng = new SplittableRandom(7);
        List<String> lines = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            for (int s = 0; s < 6; s++) {
                StringBuilder sentence = new StringBuilder();
                for (int k = 0; k < 4 + rng.nextInt(5); k++) {
                    sentence.append(k == 0 ? "" : " ").append(WORDS[rng.nextInt(WORDS.length)]);
                }
                lines.add(sentence + ".");
            }
            lines.add("");
        }
        corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, lines);
    }

    private Cli.Result train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--arch", "bert", "--data", corpus.toString(), "--tokenizer",
                vocab.toString(), "--layers", "2", "--heads", "2", "--embd", "16", "--context", "24", "--batch", "4",
                "--lr", "1e-3", "--min-lr", "1e-3", "--warmup", "0", "--eval-every", "2", "--seed", "11", "--json",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private static List<Double> stepLosses(Path dir) throws Exception {
        List<Double> out = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(dir.resolve(MetricsLog.FILE))) {
            if (n.has("mlm_loss")) {
                out.add(n.get("loss").asDouble());
            }
        }
        return out;
    }

    @Test
    void pretrainsABertAndReportsMlmAndNspMetrics() throws Exception {
        Path out = tmp.resolve("run");
        Cli.Result r = train(out, "--steps", "4");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        JsonNode last = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(last.get("steps").asInt()).isEqualTo(4);
        assertThat(last.get("val_mlm_loss").asDouble()).isBetween(0.5, 5.0);
        assertThat(last.get("mlm_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(last.get("nsp_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(last.get("tokens_per_second").asDouble()).isPositive();
        // The run directory is a BERT directory with its vocabulary, loadable by fill-mask.
        assertThat(BertDirectory.load(out).config().hiddenSize()).isEqualTo(16);
        assertThat(out.resolve("vocab.txt")).exists();
        assertThat(out.resolve("best").resolve("model.safetensors")).exists();
        Cli.Result fill = Cli.run("fill-mask", "--model", out.toString(), "--text", "the [MASK] went home", "--json");
        assertThat(fill.exitCode()).as(fill.err()).isZero();
        // The loss falls from the uniform guess, ln 20 + ln 2.
        List<Double> losses = stepLosses(out);
        assertThat(losses).hasSize(4);
        assertThat(losses.get(0)).isCloseTo(Math.log(20) + Math.log(2), org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void resumeContinuesWithIdenticalLossesAndWeights() throws Exception {
        Path whole = tmp.resolve("whole");
        assertThat(train(whole, "--steps", "4").exitCode()).isZero();
        Path split = tmp.resolve("split");
        assertThat(train(split, "--steps", "2").exitCode()).isZero();
        Cli.Result r = Cli.run("train", "--resume", split.toString(), "--steps", "4", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(stepLosses(split)).isEqualTo(stepLosses(whole));
        assertThat(Files.mismatch(split.resolve("model.safetensors"), whole.resolve("model.safetensors"))).isEqualTo(-1L);
    }

    @Test
    void stopAfterEndsTheRunMidScheduleAndAStopOutsideTheScheduleIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path late = tmp.resolve("late");
        Cli.Result refused = train(late, "--steps", "4", "--stop-after", "4");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("--stop-after 4 must lie after the run's current step (0) and before its last (4)");
        assertThat(late).doesNotExist();

        Path whole = tmp.resolve("whole");
        assertThat(train(whole, "--steps", "4").exitCode()).isZero();
        Path split = tmp.resolve("split");
        Cli.Result first = train(split, "--steps", "4", "--stop-after", "1");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Checkpoint.readState(split).step()).isEqualTo(1);
        Cli.Result early = Cli.run("train", "--resume", split.toString(), "--stop-after", "1");
        assertThat(early.exitCode()).isNotZero();
        assertThat(early.err()).contains("--stop-after 1 must lie after the run's current step (1) and before its last (4)");
        Cli.Result rest = Cli.run("train", "--resume", split.toString(), "--json");
        assertThat(rest.exitCode()).as(rest.err()).isZero();
        assertThat(stepLosses(split)).hasSize(4).isEqualTo(stepLosses(whole));
    }

    @Test
    void withoutJsonItShowsItsStepsAsAGptRunDoesAndEachEvaluation() {
        Cli.Result r = Cli.run("train", "--arch", "bert", "--data", corpus.toString(), "--tokenizer", vocab.toString(),
                "--layers", "2", "--heads", "2", "--embd", "16", "--context", "24", "--batch", "4", "--steps", "4",
                "--eval-every", "2", "--seed", "11", "--out", tmp.resolve("lines-run").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("step 1/4  loss ").contains("tok/s").contains("ETA")
                .contains("step 2: val MLM loss").contains("NSP accuracy").contains("done: 4 steps")
                .containsPattern("memory: [0-9.]+ [KMG]?B of activations for a batch of 4 x 24 tokens");
    }

    @Test
    void aBatchTheHeapCannotHoldIsRefusedBeforeAnythingIsWritten() {
        Path out = tmp.resolve("huge-run");
        Cli.Result r = Cli.run("train", "--arch", "bert", "--data", corpus.toString(), "--tokenizer", vocab.toString(),
                "--layers", "2", "--heads", "2", "--embd", "16", "--context", "24", "--batch", "20000000", "--steps", "4",
                "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: training at --batch 20000000 x --context 24").contains("GPT4J_JAVA_OPTS=-Xmx")
                .contains("use a smaller --batch").doesNotContain("\tat ");
        assertThat(out.resolve("config.json")).doesNotExist();
    }

    @Test
    void aBertPresetMakesTheRunABertOfGooglesCompactShapes() throws Exception {
        Path out = tmp.resolve("tiny");
        Cli.Result r = Cli.run("train", "--preset", "bert-tiny", "--data", corpus.toString(), "--tokenizer",
                vocab.toString(), "--steps", "1", "--batch", "2", "--eval-every", "1", "--json", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        BertConfig c = BertDirectory.load(out).config();
        assertThat(List.of(c.numHiddenLayers(), c.numAttentionHeads(), c.hiddenSize(), c.maxPositionEmbeddings()))
                .containsExactly(2, 2, 128, 128);

        Cli.Result gptPreset = Cli.run("train", "--arch", "bert", "--preset", "micro", "--data", corpus.toString(),
                "--tokenizer", vocab.toString(), "--out", tmp.resolve("no").toString());
        assertThat(gptPreset.exitCode()).isNotZero();
        assertThat(gptPreset.err()).contains("--preset micro is a GPT's; a BERT's: bert-tiny, bert-mini, bert-small, bert-medium");
        assertThat(tmp.resolve("no")).doesNotExist();
        Cli.Result unknown = Cli.run("train", "--preset", "bert-huge", "--data", corpus.toString());
        assertThat(unknown.err()).contains("a BERT's: bert-tiny");
    }

    @Test
    void mlmOnlyHasNoNextSentenceMetrics() throws Exception {
        Path out = tmp.resolve("mlm");
        Cli.Result r = train(out, "--steps", "2", "--no-nsp");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        JsonNode last = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(last.get("nsp_accuracy").isNull()).isTrue();
        assertThat(stepLosses(out).get(0)).isCloseTo(Math.log(20), org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void aGpt2TokenizerIsOneClearError() {
        Path gptTok = tmp.resolve("gpt");
        assertThat(Cli.run("init", "--layers", "1", "--heads", "1", "--embd", "4", "--context", "8",
                "--out", gptTok.toString()).exitCode()).isZero();
        Cli.Result r = Cli.run("train", "--arch", "bert", "--data", corpus.toString(), "--tokenizer", gptTok.toString(),
                "--out", tmp.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("not a WordPiece vocab.txt directory");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void oneDocumentIsOneClearError() throws Exception {
        Path one = tmp.resolve("one.txt");
        Files.writeString(one, "the man went home. a dog ran.\n");
        Cli.Result r = Cli.run("train", "--arch", "bert", "--data", one.toString(), "--tokenizer", vocab.toString(),
                "--out", tmp.resolve("y").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("needs at least 2").contains("blank line");
    }
}
