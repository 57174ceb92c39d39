package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsWriter;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Similarity and multiple choice end to end on tasks a tiny GPT can learn from JSONL files: the
 * loop trains them, the directory saves and loads them back with the same predictions (multiple
 * choice with its one-row head), similarity does not depend on the order of its pair, and a
 * multiple-choice directory with a head of the wrong shape is one error naming the file.
 */
class FineTunerFormatsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Tokenizer TOKENIZER = CharTokenizer.fromText("abcd .");

    @TempDir
    Path dir;

    @Test
    void multipleChoiceLearnsWhichOptionMatchesTheContextAndReloads() throws IOException {
        Path train = choiceFile("train.jsonl", 120, 1);
        Path dev = choiceFile("dev.jsonl", 40, 2);
        TaskDataset trainSet = TaskDataset.readTraining(train, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic());
        TaskDataset devSet = TaskDataset.read(dev, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic(), trainSet.labels());
        TaskModel model = TaskModel.fromBase(base(), TaskFormat.MULTIPLE_CHOICE, trainSet.labels(), 3);
        assertThat(model.head().labels()).as("one score per option").isEqualTo(1);
        Path out = dir.resolve("mc");

        FineTuner.Summary s = new FineTuner(model, TOKENIZER, options(TaskFormat.MULTIPLE_CHOICE, 6), out)
                .run(trainSet, devSet, new FineTuner.Listener() { });

        assertThat(s.devAccuracy()).as("dev accuracy over 3 options").isGreaterThanOrEqualTo(0.9);
        JsonNode config = MAPPER.readTree(out.resolve("config.json").toFile());
        assertThat(config.get(TaskModelDirectory.TASK_FIELD).get("format").asText()).isEqualTo("multiple-choice");
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("GPT2LMHeadModel");
        assertThat(config.has("problem_type")).isFalse();
        assertThat(config.get("id2label").size()).isEqualTo(3);
        TaskModel reloaded = TaskModelDirectory.load(out);
        assertThat(reloaded.format()).isEqualTo(TaskFormat.MULTIPLE_CHOICE);
        assertThat(reloaded.head().weight()).containsExactly(model.head().weight());
        TaskEncoder encoder = new TaskEncoder(TOKENIZER, TaskFormat.MULTIPLE_CHOICE, reloaded.special(), 32);
        List<int[][]> seqs = encoder.encodeAll(devSet);
        float[][] p = TaskPredictor.probabilities(reloaded, seqs, 7);
        assertThat(p).isDeepEqualTo(TaskPredictor.probabilities(model, seqs, 7));
        assertThat(p[0]).hasSize(3);
        assertThat(p[0][0] + p[0][1] + p[0][2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));

        // The same directory with a [3, n_embd] head is not a multiple-choice model.
        Path broken = Files.createDirectories(dir.resolve("broken"));
        for (String f : List.of("config.json", "added_tokens.json")) {
            Files.copy(out.resolve(f), broken.resolve(f));
        }
        Tokenizer t = TOKENIZER;
        org.gpt4j.tokenizer.Tokenizers.save(t, broken);
        List<NamedTensor> tensors = new java.util.ArrayList<>();
        for (var spec : model.gpt().parameters().specs()) {
            tensors.add(new NamedTensor("transformer." + spec.name(), spec.shape(), model.gpt().parameters().data(spec.name())));
        }
        tensors.add(new NamedTensor(ClassificationHead.WEIGHT, new int[] {3, 16}, new float[48]));
        SafetensorsWriter.writeF32(broken.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        assertThatThrownBy(() -> TaskModelDirectory.load(broken)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("[1, 16] (1 x n_embd: one score per option)");
    }

    @Test
    void similarityLearnsASymmetricRelationAndIgnoresTheOrderOfThePair() throws IOException {
        Path train = pairFile("train.jsonl", 128, 1);
        Path dev = pairFile("dev.jsonl", 40, 2);
        TaskDataset trainSet = TaskDataset.readTraining(train, TaskFormat.SIMILARITY, TaskColumns.automatic());
        TaskDataset devSet = TaskDataset.read(dev, TaskFormat.SIMILARITY, TaskColumns.automatic(), trainSet.labels());
        TaskModel model = TaskModel.fromBase(base(), TaskFormat.SIMILARITY, trainSet.labels(), 3);
        Path out = dir.resolve("sim");

        FineTuner.Summary s = new FineTuner(model, TOKENIZER, options(TaskFormat.SIMILARITY, 4), out)
                .run(trainSet, devSet, new FineTuner.Listener() { });

        assertThat(s.devAccuracy()).as("dev accuracy").isGreaterThanOrEqualTo(0.9);
        TaskModel reloaded = TaskModelDirectory.load(out);
        assertThat(reloaded.format()).isEqualTo(TaskFormat.SIMILARITY);
        JsonNode config = MAPPER.readTree(out.resolve("config.json").toFile());
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("GPT2ForSequenceClassification");
        TaskEncoder encoder = new TaskEncoder(TOKENIZER, TaskFormat.SIMILARITY, reloaded.special(), 32);
        float[][] ab = TaskPredictor.probabilities(reloaded, List.<int[][]>of(encoder.encode("aab", List.of("cd c"))), 1);
        float[][] ba = TaskPredictor.probabilities(reloaded, List.<int[][]>of(encoder.encode("cd c", List.of("aab"))), 1);
        assertThat(ab).isDeepEqualTo(ba);
    }

    /**
     * What makes a similarity directory usable in transformers: its logits are a sequence
     * classifier's logits on a$b plus those on b$a (the head is linear), and the classifier is
     * the one HuggingFaceSequenceClassificationTest checks against transformers.
     */
    @Test
    void similarityLogitsAreASequenceClassifiersLogitsOnBothOrdersAdded() throws IOException {
        TaskModel classifier = TaskModelDirectory.load(TaskModelParityTest.resource("fixtures/finetune/hf-sequence-classification"));
        TaskModel similarity = new TaskModel(classifier.gpt(), classifier.head(), TaskFormat.SIMILARITY, classifier.special(),
                classifier.labels());
        SpecialTokens sp = classifier.special();
        int[] a = {5, 17, 9};
        int[] b = {33, 2, 71, 8, 40};
        int[][] pair = TaskFormat.SIMILARITY.sequences(a, List.of(b), sp, 32);
        similarity.forward(TaskBatch.ofExamples(List.<int[][]>of(pair), new int[] {-1}, sp.pad()), 0);
        float[] sum = similarity.logits().clone();
        classifier.forward(TaskBatch.of(List.of(pair[0], pair[1]), new int[] {-1, -1}, sp.pad()), 0);
        float[] each = classifier.logits();
        int labels = classifier.labels().size();
        assertThat(sum).hasSize(labels);
        for (int j = 0; j < labels; j++) {
            assertThat(sum[j]).isCloseTo(each[j] + each[labels + j], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    private static FineTuneOptions options(TaskFormat format, int epochs) {
        return new FineTuneOptions(format, 0.5, epochs, 3e-3, 8, 1, 0.05, 0.01, 1.0, 0, 32);
    }

    private static Gpt base() {
        return GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 32, TOKENIZER.vocabSize()), 7);
    }

    /**
     * A context of one letter (with noise), three options of one letter each; the gold option is
     * the one in the context's letter: the head must compare the option with the context.
     */
    private Path choiceFile(String name, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        String letters = "abcd";
        for (int i = 0; i < n; i++) {
            char c = letters.charAt(rng.nextInt(4));
            int gold = rng.nextInt(3);
            ObjectNode o = MAPPER.createObjectNode();
            o.put("premise", run(c, 3 + rng.nextInt(5), rng));
            var choices = o.putArray("choices");
            String others = letters.replace(String.valueOf(c), "");
            int skip = rng.nextInt(3);
            for (int k = 0, w = 0; k < 3; k++) {
                char letter = k == gold ? c : others.charAt(w == skip ? ++w : w);
                if (k != gold) {
                    w++;
                }
                choices.add(run(letter, 2 + rng.nextInt(3), rng));
            }
            o.put("label", gold);
            s.append(MAPPER.writeValueAsString(o)).append('\n');
        }
        return Files.writeString(dir.resolve(name), s);
    }

    /** Two short texts; label 1 when either is made of a's, a relation that does not care for order. */
    private Path pairFile(String name, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean positive = i % 2 == 0;
            char first = positive ? 'a' : "bcd".charAt(rng.nextInt(3));
            char second = "bcd".charAt(rng.nextInt(3));
            boolean swap = rng.nextBoolean();
            ObjectNode o = MAPPER.createObjectNode();
            o.put("sentence1", run(swap ? second : first, 2 + rng.nextInt(5), rng));
            o.put("sentence2", run(swap ? first : second, 2 + rng.nextInt(5), rng));
            o.put("label", positive ? 1 : 0);
            s.append(MAPPER.writeValueAsString(o)).append('\n');
        }
        return Files.writeString(dir.resolve(name), s);
    }

    private static String run(char c, int len, SplittableRandom rng) {
        StringBuilder t = new StringBuilder();
        for (int k = 0; k < len; k++) {
            t.append(rng.nextInt(5) == 0 ? ' ' : c);
        }
        String s = t.toString().strip();
        return s.isEmpty() ? String.valueOf(c) : s;
    }
}
