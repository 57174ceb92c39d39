package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.ParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GPT-1's fine-tuning objective agrees with PyTorch (tools/reference/finetune_reference.py,
 * float64) for each task format: the padded batch the Java side builds (similarity: both orders
 * of each pair; multiple choice: three options per example), the task logits read from the
 * extract positions (similarity: the two states added; multiple choice: one score per option),
 * L2, L1 and L3 = L2 + 0.5 L1 to 1e-5 relative, and the gradient of every GPT parameter and of
 * {@code score.weight} to 1e-4 relative, with lambda 0.5 and with lambda 0 (the task loss alone).
 */
class TaskModelParityTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"classification", "entailment", "similarity", "multiple-choice"})
    void headLossesAndGradientsMatchPyTorchReference(String name) throws IOException {
        Path dir = resource("fixtures/finetune/" + name);
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("batch.json").toFile());
        Gpt gpt = ModelDirectory.load(dir);
        JsonNode sp = meta.get("special");
        SpecialTokens special = new SpecialTokens(sp.get("start").asInt(), sp.get("delimiter").asInt(),
                sp.get("extract").asInt(), sp.get("pad").asInt());
        int numLabels = meta.get("num_labels").asInt();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numLabels; i++) {
            names.add("l" + i);
        }
        int group = meta.path("group").asInt(1);
        List<int[][]> examples = new ArrayList<>();
        JsonNode all = meta.get("sequences");
        for (int e = 0; e < all.size() / group; e++) {
            int[][] ex = new int[group][];
            for (int k = 0; k < group; k++) {
                ex[k] = ints(all.get(e * group + k));
            }
            examples.add(ex);
        }
        TaskFormat format = TaskFormat.fromConfigName(meta.get("format").asText());
        TaskBatch batch = TaskBatch.ofExamples(examples, ints(meta.get("labels")), special.pad());
        assertThat(batch.group()).isEqualTo(group);
        assertThat(batch.tokens()).as("padded tokens").containsExactly(flat(meta.get("tokens")));
        assertThat(batch.targets()).as("LM targets").containsExactly(flat(meta.get("targets")));
        assertThat(batch.extract()).as("extract positions").containsExactly(ints(meta.get("extract")));

        try (SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"))) {
            ClassificationHead head = ClassificationHead.of(format.headRows(numLabels), gpt.config().nEmbd(),
                    ref.readFloats("score.weight"));
            TaskModel model = new TaskModel(gpt, head, format, special, new LabelMap(names));
            SequenceClassifier.Losses losses = model.forward(batch, meta.get("lm_weight").asDouble());
            assertThat(model.logits()).as("logits [examples, K]").hasSize(batch.examples() * numLabels);
            double logitsError = relativeError(model.logits(), ref.readFloats("task_logits"));
            double lossError = Math.max(rel(losses.task(), ref.readFloats("loss_task")[0]),
                    Math.max(rel(losses.lm(), ref.readFloats("loss_lm")[0]), rel(losses.total(), ref.readFloats("loss")[0])));

            model.zeroGrad();
            model.backward(1f);
            double gradError = relativeError(head.parameters().grad(ClassificationHead.WEIGHT), ref.readFloats("grad.score.weight"));
            String worst = ClassificationHead.WEIGHT;
            for (ParameterSpec s : gpt.parameters().specs()) {
                double e = relativeError(gpt.parameters().grad(s.name()), ref.readFloats("grad." + s.name()));
                if (e > gradError) {
                    gradError = e;
                    worst = s.name();
                }
            }
            // lambda 0: the LM loss is skipped (no targets) and only the head's gradient flows back.
            SequenceClassifier.Losses taskOnly = model.forward(batch, 0);
            assertThat(taskOnly.lm()).isNaN();
            lossError = Math.max(lossError, rel(taskOnly.total(), ref.readFloats("loss_task")[0]));
            model.zeroGrad();
            model.backward(1f);
            double taskOnlyError = relativeError(head.parameters().grad(ClassificationHead.WEIGHT),
                    ref.readFloats("grad_task_only." + ClassificationHead.WEIGHT));
            // Multiple choice's L2 does not move with ln_f.bias (it shifts every option's score
            // alike): its exact gradient is 0, so it is measured against the largest gradient.
            double largest = 0;
            for (ParameterSpec s : gpt.parameters().specs()) {
                largest = Math.max(largest, maxAbs(ref.readFloats("grad_task_only." + s.name())));
            }
            for (ParameterSpec s : gpt.parameters().specs()) {
                float[] expected = ref.readFloats("grad_task_only." + s.name());
                double floor = maxAbs(expected) < 1e-12 * largest ? largest : 0;
                taskOnlyError = Math.max(taskOnlyError, relativeError(gpt.parameters().grad(s.name()), expected, floor));
            }
            System.out.printf(Locale.ROOT, "finetune parity %-16s logits %.2e  losses %.2e  gradients %.2e (%s), lambda 0 %.2e%n",
                    name, logitsError, lossError, gradError, worst, taskOnlyError);
            assertThat(taskOnlyError).as("gradients with lambda 0").isLessThan(1e-4);
            assertThat(logitsError).as("task logits").isLessThan(1e-5);
            assertThat(lossError).as("L2, L1, L3").isLessThan(1e-5);
            assertThat(gradError).as("worst gradient: " + worst).isLessThan(1e-4);
        }
    }

    static Path resource(String path) {
        try {
            return Paths.get(TaskModelParityTest.class.getClassLoader().getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + path, e);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static int[] flat(JsonNode rows) {
        List<Integer> all = new ArrayList<>();
        rows.forEach(r -> r.forEach(v -> all.add(v.asInt())));
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double rel(double actual, double expected) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    private static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double relativeError(float[] actual, float[] expected) {
        return relativeError(actual, expected, 0);
    }

    /** max |actual - expected| over max(max |expected|, floor). */
    private static double relativeError(float[] actual, float[] expected, double floor) {
        assertThat(actual.length).as("length").isGreaterThanOrEqualTo(expected.length);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / Math.max(Math.max(scale, floor), 1e-30);
    }
}
