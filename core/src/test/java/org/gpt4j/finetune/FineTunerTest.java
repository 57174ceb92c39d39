package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fine-tuning loop learns a task a tiny GPT can solve (is the text made of a's or of b's, with
 * noise characters), keeps the best epoch in best/, and writes a directory that loads back, as a
 * task model with the same predictions and as a plain GPT.
 */
class FineTunerTest {

    @TempDir
    Path dir;

    @Test
    void learnsASimpleTaskAndSavesALoadableDirectory() throws IOException {
        Path train = SyntheticTask.write(dir.resolve("train.tsv"), 96, 1);
        Path dev = SyntheticTask.write(dir.resolve("dev.tsv"), 32, 2);
        Tokenizer tokenizer = CharTokenizer.fromText("ab .xyz");
        Gpt base = GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 24, tokenizer.vocabSize()), 7);
        TaskDataset trainSet = TaskDataset.readTraining(train, TaskFormat.CLASSIFICATION, TaskColumns.automatic());
        TaskDataset devSet = TaskDataset.read(dev, TaskFormat.CLASSIFICATION, TaskColumns.automatic(), trainSet.labels());
        TaskModel model = TaskModel.fromBase(base, TaskFormat.CLASSIFICATION, trainSet.labels(), 3);
        assertThat(model.gpt().config().vocabSize()).isEqualTo(tokenizer.vocabSize() + SpecialTokens.COUNT);
        FineTuneOptions options = new FineTuneOptions(TaskFormat.CLASSIFICATION, 0.5, 4, 3e-3, 8, 1, 0.05, 0.01, 1.0, 0, 24);
        Path out = dir.resolve("out");

        FineTuner.Summary s = new FineTuner(model, tokenizer, options, out).run(trainSet, devSet, new FineTuner.Listener() { });

        assertThat(s.devAccuracy()).as("dev accuracy").isGreaterThanOrEqualTo(0.9);
        assertThat(s.epochs()).isEqualTo(4);
        assertThat(s.steps()).isEqualTo(4 * 12);
        assertThat(out.resolve("best/model.safetensors")).exists();
        List<JsonNode> log = MetricsLog.read(out.resolve(MetricsLog.FILE));
        assertThat(log.stream().filter(n -> n.get("type").asText().equals("eval")).count()).isEqualTo(4);

        TaskModel reloaded = TaskModelDirectory.load(out);
        assertThat(reloaded.labels()).isEqualTo(model.labels());
        assertThat(reloaded.special()).isEqualTo(model.special());
        TaskEncoder encoder = new TaskEncoder(tokenizer, TaskFormat.CLASSIFICATION, reloaded.special(), 24);
        List<int[][]> seqs = encoder.encodeAll(devSet);
        assertThat(TaskPredictor.probabilities(reloaded, seqs, 5)).isDeepEqualTo(TaskPredictor.probabilities(model, seqs, 5));

        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("GPT2ForSequenceClassification");
        assertThat(config.get("id2label").get("1").asText()).isEqualTo("b");
        assertThat(config.get("label2id").get("a").asInt()).isZero();
        assertThat(config.get(TaskModelDirectory.TASK_FIELD).get("extract_token_id").asInt()).isEqualTo(reloaded.special().extract());
        assertThat(Files.readString(out.resolve(TaskModelDirectory.ADDED_TOKENS))).contains("\"<|extract|>\" : " + reloaded.special().extract());
        Gpt plain = ModelDirectory.load(out);
        assertThat(plain.config().vocabSize()).isEqualTo(reloaded.gpt().config().vocabSize());
    }

    @Test
    void refusesABatchTheHeapCannotHoldBeforeWritingAnything() throws IOException {
        // 64 texts of 1,000 characters (1,002 tokens with start and extract) through 16 layers of
        // 8 heads: the attention probabilities alone are 16 x 8 x 64 x 1002^2 floats (about 33 GB),
        // on a model of a few hundred kB.
        StringBuilder tsv = new StringBuilder("text\tlabel\n");
        for (int i = 0; i < 64; i++) {
            tsv.append((i % 2 == 0 ? "a" : "b").repeat(1000)).append('\t').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path train = Files.writeString(dir.resolve("long.tsv"), tsv);
        Tokenizer tokenizer = CharTokenizer.fromText("ab");
        Gpt base = GptInit.randomGpt(GptConfig.gpt2(16, 8, 8, 1024, tokenizer.vocabSize()), 7);
        TaskDataset trainSet = TaskDataset.readTraining(train, TaskFormat.CLASSIFICATION, TaskColumns.automatic());
        TaskModel model = TaskModel.fromBase(base, TaskFormat.CLASSIFICATION, trainSet.labels(), 3);
        FineTuneOptions options = new FineTuneOptions(TaskFormat.CLASSIFICATION, 0.5, 1, 1e-3, 64, 1, 0, 0, 1.0, 0, 1024);
        Path out = dir.resolve("out");

        assertThatThrownBy(() -> new FineTuner(model, tokenizer, options, out).run(trainSet, trainSet, new FineTuner.Listener() { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fine-tuning at --batch 64 (64 sequences of up to 1002 tokens")
                .hasMessageContaining("use a smaller --batch or --max-length");
        assertThat(out).doesNotExist();
    }

    @Test
    void lengthGroupedBatchesCoverEveryExampleOnceAndDependOnTheSeed() {
        SplittableRandom rng = new SplittableRandom(5);
        int[] lengths = new int[1000];
        for (int i = 0; i < 1000; i++) {
            lengths[i] = 2 + rng.nextInt(40);
        }
        FineTuneOptions o = new FineTuneOptions(TaskFormat.CLASSIFICATION, 0.5, 1, 1e-4, 7, 1, 0, 0, 1, 0, 64);
        FineTuner t = new FineTuner(null, null, o, dir);
        List<int[]> epoch1 = t.batches(lengths, 1);
        assertThat(epoch1.stream().flatMapToInt(java.util.Arrays::stream).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
        assertThat(epoch1.get(0)).isNotEqualTo(t.batches(lengths, 2).get(0));
        assertThat(t.batches(lengths, 1).get(0)).isEqualTo(epoch1.get(0));
        int padded = 0;
        int real = 0;
        for (int[] b : epoch1) {
            int max = 0;
            for (int i : b) {
                max = Math.max(max, lengths[i]);
                real += lengths[i];
            }
            padded += max * b.length;
        }
        assertThat((double) padded / real).as("padding overhead").isLessThan(1.1);
    }
}
