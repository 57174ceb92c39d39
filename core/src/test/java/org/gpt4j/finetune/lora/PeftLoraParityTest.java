package org.gpt4j.finetune.lora;

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
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.finetune.SequenceClassifier;
import org.gpt4j.finetune.SpecialTokens;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.KvCache;
import org.gpt4j.model.LoraAdapters;
import org.gpt4j.model.ParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * LoRA agrees with Hugging Face PEFT 0.21 (tools/reference/peft_lora_reference.py, float64): a
 * SEQ_CLS adapter that PEFT wrote loads in gpt4j with the same task logits and losses (1e-5
 * relative) and the same gradients of every lora_A, lora_B, the head and the trainable token rows
 * (1e-4), with and without the auxiliary LM loss; merging gives PEFT's merge_and_unload weights;
 * and a CAUSAL_LM adapter (regex targets, rsLoRA, replaced token rows) gives PEFT's logits, in one
 * pass and through the KV cache.
 */
class PeftLoraParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sequenceClassificationAdapterMatchesPeftLogitsLossesAndGradients() throws IOException {
        Path dir = resource("fixtures/lora/peft-seq-cls");
        JsonNode meta = JSON.readTree(dir.resolve("batch.json").toFile());
        TaskModel model = PeftAdapterDirectory.loadTask(ModelDirectory.load(dir.resolve("base")), dir.resolve("adapter"));
        SpecialTokens special = model.special();
        assertThat(special.start()).isEqualTo(meta.get("special").get("start").asInt());
        List<int[]> seqs = new ArrayList<>();
        meta.get("sequences").forEach(s -> seqs.add(ints(s)));
        TaskBatch batch = TaskBatch.of(seqs, ints(meta.get("labels")), special.pad());
        assertThat(batch.tokens()).containsExactly(flat(meta.get("tokens")));
        assertThat(batch.targets()).containsExactly(flat(meta.get("targets")));
        LoraAdapters lora = model.gpt().adapters();
        TrainableTokens tokens = TrainableTokens.of(model.gpt(),
                new int[] {special.start(), special.delimiter(), special.extract(), special.pad()});

        try (SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"))) {
            SequenceClassifier.Losses l = model.forward(batch, meta.get("lm_weight").asDouble());
            double logitsError = relativeError(model.logits(), ref.readFloats("task_logits"));
            double lossError = Math.max(rel(l.task(), ref.readFloats("loss_task")[0]),
                    Math.max(rel(l.lm(), ref.readFloats("loss_lm")[0]), rel(l.total(), ref.readFloats("loss")[0])));
            double[] gradError = {0, 0};
            String[] worst = {"", ""};
            String[] prefix = {"grad.", "grad_task_only."};
            double[] lambda = {meta.get("lm_weight").asDouble(), 0};
            for (int run = 0; run < 2; run++) {
                model.forward(batch, lambda[run]);
                model.zeroGrad();
                lora.parameters().zeroGrad();
                model.backward(1f);
                tokens.gatherGradient(model.gpt());
                List<String> names = new ArrayList<>();
                List<float[]> grads = new ArrayList<>();
                for (ParameterSpec s : lora.parameters().specs()) {
                    names.add(s.name());
                    grads.add(lora.parameters().grad(s.name()));
                }
                names.add(ClassificationHead.WEIGHT);
                grads.add(model.head().parameters().grad(ClassificationHead.WEIGHT));
                names.add(TrainableTokens.VALUES);
                grads.add(tokens.parameters().grad(TrainableTokens.VALUES));
                assertThat(names).hasSize(2 * 8 + 2);
                for (int i = 0; i < names.size(); i++) {
                    double e = relativeError(grads.get(i), ref.readFloats(prefix[run] + names.get(i)));
                    if (e > gradError[run]) {
                        gradError[run] = e;
                        worst[run] = names.get(i);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "PEFT LoRA parity: logits %.2e  losses %.2e  gradients %.2e (%s), lambda 0 %.2e (%s)%n",
                    logitsError, lossError, gradError[0], worst[0], gradError[1], worst[1]);
            assertThat(logitsError).as("task logits").isLessThan(1e-5);
            assertThat(lossError).as("L2, L1, L3").isLessThan(1e-5);
            assertThat(gradError[0]).as("worst gradient, lambda 0.5: " + worst[0]).isLessThan(1e-4);
            assertThat(gradError[1]).as("worst gradient, lambda 0: " + worst[1]).isLessThan(1e-4);

            Gpt merged = lora.mergeInto(model.gpt().withAdapters(null));
            double mergeError = 0;
            for (LoraAdapters.Module m : lora.modules()) {
                mergeError = Math.max(mergeError, relativeError(merged.parameters().data(m.name() + ".weight"),
                        ref.readFloats("merged." + m.name() + ".weight")));
            }
            assertThat(mergeError).as("merged weights vs merge_and_unload").isLessThan(1e-5);
            TaskModel plain = new TaskModel(merged, model.head(), model.format(), special, model.labels());
            plain.forward(batch, 0);
            assertThat(relativeError(plain.logits(), ref.readFloats("task_logits"))).as("merged model's logits")
                    .isLessThan(1e-5);
        }
    }

    @Test
    void languageModelAdapterMatchesPeftLogitsInOnePassAndThroughTheCache() throws IOException {
        Path dir = resource("fixtures/lora/peft-causal-lm");
        JsonNode ref = JSON.readTree(dir.resolve("reference.json").toFile());
        int[] tokens = ints(ref.get("tokens"));
        float[] expected = flatFloats(ref.get("logits"));
        Gpt gpt = PeftAdapterDirectory.loadLanguageModel(ModelDirectory.load(dir.resolve("base")), dir.resolve("adapter"));
        assertThat(gpt.adapters().config().rsLora()).isTrue();
        assertThat(gpt.adapters().modules()).extracting(LoraAdapters.Module::name)
                .containsExactly("h.0.attn.c_attn", "h.1.attn.c_attn", "h.1.mlp.c_proj");
        ForwardResult whole = gpt.forward(tokens, 1, tokens.length);
        double error = relativeError(whole.logits(), expected);

        int v = gpt.config().vocabSize();
        KvCache cache = new KvCache(gpt.config(), 1, tokens.length);
        gpt.forward(java.util.Arrays.copyOf(tokens, 6), 1, 6, cache);
        ForwardResult rest = gpt.forward(java.util.Arrays.copyOfRange(tokens, 6, tokens.length), 1, tokens.length - 6, cache);
        double cached = relativeError(rest.logits(), java.util.Arrays.copyOfRange(expected, 6 * v, tokens.length * v));
        System.out.printf(Locale.ROOT, "PEFT CAUSAL_LM LoRA parity: logits %.2e, through the KV cache %.2e%n", error, cached);
        assertThat(error).isLessThan(1e-5);
        assertThat(cached).isLessThan(1e-5);
    }

    static Path resource(String path) {
        try {
            return Paths.get(PeftLoraParityTest.class.getClassLoader().getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + path, e);
        }
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static int[] flat(JsonNode rows) {
        List<Integer> all = new ArrayList<>();
        rows.forEach(r -> r.forEach(x -> all.add(x.asInt())));
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] flatFloats(JsonNode rows) {
        List<Double> all = new ArrayList<>();
        rows.forEach(r -> r.forEach(x -> all.add(x.asDouble())));
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i).floatValue();
        }
        return out;
    }

    private static double rel(double actual, double expected) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    static double relativeError(float[] actual, float[] expected) {
        assertThat(actual.length).as("length").isGreaterThanOrEqualTo(expected.length);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / Math.max(scale, 1e-30);
    }
}
