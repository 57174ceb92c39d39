package org.gpt4j.train;

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
import org.junit.jupiter.api.Test;

/**
 * Five optimiser steps agree with PyTorch (tools/reference/train_reference.py, float64
 * torch.optim.AdamW): the same initial weights and micro-batches, gradient accumulation,
 * global-norm clipping, nanoGPT's schedule and weight decay on rank >= 2 tensors only. Losses,
 * learning rates and every final weight match to 1e-4.
 */
class AdamWReferenceParityTest {

    @Test
    void fiveAdamWStepsMatchPyTorchReference() throws IOException {
        Path dir = resource("fixtures/adamw-steps");
        ObjectMapper json = new ObjectMapper();
        JsonNode training = json.readTree(dir.resolve("training.json").toFile());
        JsonNode hp = training.get("hyper_parameters");
        JsonNode batches = json.readTree(dir.resolve("batches.json").toFile());
        int steps = hp.get("steps").asInt();
        int b = hp.get("batch").asInt();
        int t = hp.get("context").asInt();

        Gpt gpt = ModelDirectory.load(dir);
        AdamW adamw = new AdamW(gpt.parameters(), hp.get("beta1").asDouble(), hp.get("beta2").asDouble(),
                hp.get("eps").asDouble(), hp.get("weight_decay").asDouble());
        LearningRateSchedule schedule = new LearningRateSchedule(hp.get("lr").asDouble(), hp.get("min_lr").asDouble(),
                hp.get("warmup").asInt(), steps);
        TrainingStep step = new TrainingStep(gpt, adamw, hp.get("clip").asDouble());

        double lossError = 0;
        double normError = 0;
        for (int s = 0; s < steps; s++) {
            double lr = schedule.at(s);
            assertThat(lr).as("lr at step " + s).isCloseTo(training.get("lr").get(s).asDouble(), within(1e-12));
            List<Batch> micro = new ArrayList<>();
            for (JsonNode m : batches.get(s)) {
                micro.add(new Batch(flatten(m.get("tokens")), flatten(m.get("targets")), b, t));
            }
            TrainingStep.Result r = step.run(micro, lr, s * micro.size());
            assertThat(r.applied()).isTrue();
            lossError = Math.max(lossError, Math.abs(r.loss() - training.get("loss").get(s).asDouble()));
            normError = Math.max(normError, Math.abs(r.gradNorm() - training.get("grad_norm").get(s).asDouble())
                    / training.get("grad_norm").get(s).asDouble());
        }

        double weightError = 0;
        String worst = "";
        try (SafetensorsFile ref = SafetensorsFile.open(dir.resolve("final.safetensors"))) {
            for (ParameterSpec spec : gpt.parameters().specs()) {
                float[] expected = ref.readFloats(spec.name());
                float[] actual = gpt.parameters().data(spec.name());
                for (int i = 0; i < expected.length; i++) {
                    double e = Math.abs(actual[i] - expected[i]);
                    if (e > weightError) {
                        weightError = e;
                        worst = spec.name() + "[" + i + "]";
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "parity adamw-steps  losses %.2e  grad norms %.2e (relative)  final weights %.2e (%s)%n",
                lossError, normError, weightError, worst);
        assertThat(lossError).as("losses").isLessThan(1e-4);
        assertThat(normError).as("gradient norms").isLessThan(1e-4);
        assertThat(weightError).as("final weights, worst " + worst).isLessThan(1e-4);
    }

    @Test
    void weightDecayAppliesToMatricesAndEmbeddingsOnly() throws IOException {
        Gpt gpt = ModelDirectory.load(resource("fixtures/adamw-steps"));
        // With zero gradients AdamW's moments stay 0, so the update is the decay alone.
        float before = gpt.parameters().data("wte.weight")[0];
        float biasBefore = gpt.parameters().data("h.0.attn.c_attn.bias")[0];
        float gainBefore = gpt.parameters().data("h.0.ln_1.weight")[0];
        gpt.parameters().zeroGrad();
        new AdamW(gpt.parameters(), 0.9, 0.99, 1e-8, 0.5).step(0.1);
        assertThat(gpt.parameters().data("wte.weight")[0]).isCloseTo(before * 0.95f, within(1e-7f));
        assertThat(gpt.parameters().data("h.0.attn.c_attn.bias")[0]).isEqualTo(biasBefore);
        assertThat(gpt.parameters().data("h.0.ln_1.weight")[0]).isEqualTo(gainBefore);
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }

    private static org.assertj.core.data.Offset<Float> within(float d) {
        return org.assertj.core.data.Offset.offset(d);
    }

    static int[] flatten(JsonNode rows) {
        List<Integer> out = new ArrayList<>();
        rows.forEach(row -> row.forEach(v -> out.add(v.asInt())));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static Path resource(String path) {
        try {
            return Paths.get(AdamWReferenceParityTest.class.getClassLoader().getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + path, e);
        }
    }
}
