package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Locale;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java forward and backward agree with PyTorch (computed in float64 by
 * tools/reference/gpt_reference.py): logits, loss, attention probabilities and hidden states to
 * 1e-5 relative, the gradient of every parameter to 1e-4 relative.
 */
class GptReferenceParityTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-vocab", "post-sinusoidal", "multi-head", "nopos-relu"})
    void forwardAndBackwardMatchPyTorchReference(String name) throws IOException {
        ReferenceFixture fx = ReferenceFixture.load(name);
        Gpt gpt = ModelDirectory.load(fx.dir());
        GptConfig c = gpt.config();
        try (SafetensorsFile ref = SafetensorsFile.open(fx.reference())) {
            ForwardResult result = gpt.forward(fx.tokens(), fx.targets(), fx.batch(), fx.length());
            double logitsError = ReferenceFixture.relativeError(result.logits(),
                    fx.batch() * fx.length() * c.vocabSize(), ref.readFloats("logits"));
            float expectedLoss = ref.readFloats("loss")[0];
            double lossError = Math.abs(result.loss() - expectedLoss) / Math.abs(expectedLoss);

            Trace trace = gpt.trace();
            double traceError = 0;
            for (int l = 0; l < c.nLayer(); l++) {
                float[] a = trace.attentions()[l];
                traceError = Math.max(traceError, ReferenceFixture.relativeError(a, a.length, ref.readFloats("attentions." + l)));
            }
            for (int i = 0; i <= c.nLayer(); i++) {
                float[] h = trace.hiddenStates()[i];
                traceError = Math.max(traceError, ReferenceFixture.relativeError(h, h.length, ref.readFloats("hidden_states." + i)));
            }

            gpt.parameters().zeroGrad();
            gpt.backward();
            double gradError = 0;
            String worst = "";
            for (ParameterSpec spec : gpt.parameters().specs()) {
                float[] g = gpt.parameters().grad(spec.name());
                double e = ReferenceFixture.relativeError(g, g.length, ref.readFloats("grad." + spec.name()));
                if (e >= gradError) {
                    gradError = e;
                    worst = spec.name();
                }
            }
            System.out.printf(Locale.ROOT, "parity %-16s logits %.2e  loss %.2e  trace %.2e  gradients %.2e (%s)%n",
                    name, logitsError, lossError, traceError, gradError, worst);
            assertThat(logitsError).as("logits").isLessThan(1e-5);
            assertThat(lossError).as("loss").isLessThan(1e-5);
            assertThat(traceError).as("attentions and hidden states").isLessThan(1e-5);
            assertThat(gradError).as("worst gradient: " + worst).isLessThan(1e-4);
        }
    }
}
