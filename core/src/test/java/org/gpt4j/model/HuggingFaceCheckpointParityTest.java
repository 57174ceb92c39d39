package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints written by Hugging Face transformers itself (one with, one without the
 * {@code transformer.} prefix) load and give the logits, attentions and hidden states PyTorch gives.
 */
class HuggingFaceCheckpointParityTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lm-buddy-tiny_gpt2", "lm-buddy-fake_gpt2"})
    void realCheckpointGivesPyTorchLogits(String name) throws IOException {
        Path model = ReferenceFixture.resource("fixtures/hf/" + name);
        Path refDir = ReferenceFixture.resource("fixtures/hf-reference");
        JsonNode meta = new ObjectMapper().readTree(refDir.resolve(name + ".json").toFile());
        int[] tokens = new int[meta.get("tokens").size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = meta.get("tokens").get(i).asInt();
        }
        Gpt gpt = ModelDirectory.load(model);
        try (SafetensorsFile ref = SafetensorsFile.open(refDir.resolve(name + ".safetensors"))) {
            ForwardResult result = gpt.forward(tokens, 1, tokens.length);
            double logitsError = ReferenceFixture.relativeError(result.logits(),
                    tokens.length * gpt.config().vocabSize(), ref.readFloats("logits"));
            Trace trace = gpt.trace();
            double traceError = ReferenceFixture.relativeError(trace.attentions()[0], trace.attentions()[0].length,
                    ref.readFloats("attentions.0"));
            for (int i = 0; i <= gpt.config().nLayer(); i++) {
                float[] h = trace.hiddenStates()[i];
                traceError = Math.max(traceError,
                        ReferenceFixture.relativeError(h, h.length, ref.readFloats("hidden_states." + i)));
            }
            System.out.printf(Locale.ROOT, "parity %-20s logits %.2e  trace %.2e%n", name, logitsError, traceError);
            assertThat(logitsError).isLessThan(1e-5);
            assertThat(traceError).isLessThan(1e-5);
        }
    }
}
