package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.finetune.LabelMap;
import org.gpt4j.finetune.SequenceClassifier;
import org.gpt4j.finetune.SpecialTokens;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.bert.BertTaskModel;
import org.gpt4j.model.Bert;
import org.gpt4j.model.ParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fine-tuned BERT agrees with transformers' own BertForSequenceClassification (an entailment
 * batch of right-padded pairs, segments 0 and 1) and BertForMultipleChoice (two examples of three
 * options), fixtures from tools/reference/bert_finetune_reference.py: the logits and the loss to
 * 1e-5 relative, the gradient of every parameter, the classifier's and the BERT's, to 1e-4. The
 * pre-training heads the task does not use get no gradient. (In this package for
 * {@link BertNames}, which maps transformers' gradients onto gpt4j's fused layout.)
 */
class BertFineTuningParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"sequence-classification", "multiple-choice"})
    void logitsLossAndEveryGradientMatchTransformers(String kind) throws IOException {
        Path dir = fixture();
        JsonNode batch = new ObjectMapper().readTree(dir.resolve("batch.json").toFile());
        boolean choices = kind.equals("multiple-choice");
        Bert bert = BertDirectory.load(dir.resolve("base"));
        SpecialTokens special = new SpecialTokens(batch.get("cls").asInt(), batch.get("sep").asInt(), batch.get("sep").asInt(),
                batch.get("pad").asInt());
        JsonNode task = batch.get(choices ? "multiple_choice" : "entailment");
        List<int[][]> examples = new ArrayList<>();
        for (JsonNode ex : task.get(choices ? "examples" : "sequences")) {
            examples.add(choices ? sequences(ex) : new int[][] {BertFixture.ints(ex)});
        }
        int[] labels = BertFixture.ints(task.get("labels"));
        TaskFormat format = choices ? TaskFormat.MULTIPLE_CHOICE : TaskFormat.ENTAILMENT;
        LabelMap labelMap = choices ? LabelMap.options(examples.get(0).length)
                : LabelMap.fromLabels(List.of("0", "1", "2"));
        try (SafetensorsFile ref = SafetensorsFile.open(dir.resolve(kind + ".safetensors"))) {
            int rows = format.headRows(labelMap.size());
            int hidden = bert.config().hiddenSize();
            ClassificationHead head = ClassificationHead.bertOf(rows, hidden, ref.readFloats(ClassificationHead.BERT_WEIGHT),
                    ref.readFloats(ClassificationHead.BERT_BIAS));
            BertTaskModel model = new BertTaskModel(bert, head, format, special, labelMap);
            model.setTraining(true, 1);
            SequenceClassifier.Losses losses = model.forward(TaskBatch.ofExamples(examples, labels, special.pad()), 0);
            double logitsError = BertFixture.relativeError(model.logits(), ref.readFloats("logits"));
            double lossError = Math.abs(losses.total() - ref.readFloats("loss")[0]) / ref.readFloats("loss")[0];
            model.zeroGrad();
            model.backward(1f);

            Map<String, float[]> hf = new LinkedHashMap<>();
            for (String name : ref.names()) {
                if (name.startsWith("grad.bert.")) {
                    hf.put(BertNames.canonical(name.substring("grad.".length())), ref.readFloats(name));
                }
            }
            // BertFor...'s have no pre-training heads: zeros where gpt4j keeps them (they must get none)
            for (Map.Entry<String, int[]> e : BertNames.expected(bert.config()).entrySet()) {
                hf.putIfAbsent(e.getKey(), new float[Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b)]);
            }
            Map<String, float[]> expected = BertNames.toInternal(bert.config(), hf);
            double gradError = BertFixture.relativeError(head.parameters().grad(ClassificationHead.BERT_WEIGHT),
                    ref.readFloats("grad.classifier.weight"));
            float[] biasGrad = head.parameters().grad(ClassificationHead.BERT_BIAS);
            if (choices) {
                // one bias shared by every option: it shifts all of an example's logits alike, and
                // the softmax's gradients over the options sum to 0, so its gradient is 0 in exact arithmetic
                assertThat(Math.abs(biasGrad[0])).as("multiple choice's bias gradient").isLessThan(1e-7f);
            } else {
                gradError = Math.max(gradError, BertFixture.relativeError(biasGrad, ref.readFloats("grad.classifier.bias")));
            }
            String worst = "classifier";
            double scale = maxAbs(ref.readFloats("grad.classifier.weight"));
            for (float[] g : expected.values()) {
                scale = Math.max(scale, maxAbs(g));
            }
            double globalError = 0;
            for (ParameterSpec spec : bert.parameters().specs()) {
                float[] grad = bert.parameters().grad(spec.name());
                if (spec.name().startsWith("mlm.") || spec.name().startsWith("nsp.")) {
                    assertThat(grad).as(spec.name() + " is not on the task's path").containsOnly(0f);
                    continue;
                }
                float[] truth = expected.get(spec.name());
                globalError = Math.max(globalError, BertFixture.relativeError(grad, truth) * maxAbs(truth) / scale);
                // Some gradients are near 0 by structure (a key bias: softmax ignores a shift shared by
                // every score; multiple choice's shared paths: its option gradients sum to 0), far below
                // float32's resolution of the sums that make them: those count through the global error.
                if (maxAbs(truth) < 1e-2 * scale) {
                    continue;
                }
                double e = BertFixture.relativeError(grad, truth);
                if (e >= gradError) {
                    gradError = e;
                    worst = spec.name();
                }
            }
            System.out.printf(Locale.ROOT, "parity bert %s  logits %.2e  loss %.2e  gradients %.2e (%s), of the largest %.2e%n",
                    kind, logitsError, lossError, gradError, worst, globalError);
            assertThat(globalError).as("every gradient, relative to the largest").isLessThan(1e-5);
            assertThat(model.logits()).hasSize(choices ? examples.size() * examples.get(0).length : examples.size() * 3);
            assertThat(logitsError).as("logits").isLessThan(1e-5);
            assertThat(lossError).as("loss").isLessThan(1e-5);
            assertThat(gradError).as("worst gradient: " + worst).isLessThan(1e-4);
        }
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static int[][] sequences(JsonNode example) {
        int[][] out = new int[example.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = BertFixture.ints(example.get(i));
        }
        return out;
    }

    static Path fixture() {
        try {
            return Paths.get(BertFineTuningParityTest.class.getClassLoader().getResource("fixtures/bert-finetune").toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: fixtures/bert-finetune", e);
        }
    }
}
