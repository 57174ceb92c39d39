package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertOutput;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Trace;
import org.junit.jupiter.api.Test;

/**
 * The Java BERT agrees with PyTorch (BertForPreTraining's equations in float64,
 * tools/reference/bert_reference.py) on a padded batch of sentence pairs: MLM and NSP logits,
 * losses, every attention map and hidden state to 1e-5 relative, the gradient of MLM + NSP loss
 * for every parameter to 1e-4 relative (PyTorch's, in Hugging Face's names and layout, mapped
 * onto gpt4j's by {@link BertNames}).
 */
class BertReferenceParityTest {

    @Test
    void forwardMatchesPyTorchReferenceWithPaddingAndSegments() throws IOException {
        BertFixture fx = BertFixture.load();
        Bert bert = BertDirectory.load(fx.dir());
        BertConfig c = bert.config();
        try (SafetensorsFile ref = SafetensorsFile.open(fx.reference())) {
            BertOutput out = bert.forward(fx.input());
            double mlm = BertFixture.relativeError(out.mlmLogits(), ref.readFloats("mlm_logits"));
            double nsp = BertFixture.relativeError(out.nspLogits(), ref.readFloats("nsp_logits"));
            Trace trace = bert.trace();
            double traceError = 0;
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                traceError = Math.max(traceError, BertFixture.relativeError(trace.attentions()[l], ref.readFloats("attentions." + l)));
            }
            for (int i = 0; i <= c.numHiddenLayers(); i++) {
                traceError = Math.max(traceError, BertFixture.relativeError(trace.hiddenStates()[i], ref.readFloats("hidden_states." + i)));
            }
            System.out.printf(Locale.ROOT, "parity bert-pairs forward  mlm %.2e  nsp %.2e  trace %.2e%n", mlm, nsp, traceError);
            assertThat(mlm).as("MLM logits").isLessThan(1e-5);
            assertThat(nsp).as("NSP logits").isLessThan(1e-5);
            assertThat(traceError).as("attentions and hidden states").isLessThan(1e-5);
            // padding receives no attention: the second sequence's last three keys
            int t = fx.input().length();
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                for (int q = 0; q < t; q++) {
                    assertThat(trace.attention(l, 1, 0, q, t - 1)).isLessThan(1e-30f);
                }
            }
        }
    }

    @Test
    void lossAndEveryGradientMatchPyTorchReference() throws IOException {
        BertFixture fx = BertFixture.load();
        Bert bert = BertDirectory.load(fx.dir());
        try (SafetensorsFile ref = SafetensorsFile.open(fx.reference())) {
            BertOutput out = bert.forward(fx.input(), fx.mlmLabels(), fx.nspLabels());
            double lossError = Math.max(relative(out.loss(), ref.readFloats("loss")[0]),
                    Math.max(relative(out.mlmLoss(), ref.readFloats("mlm_loss")[0]), relative(out.nspLoss(), ref.readFloats("nsp_loss")[0])));
            // the logits at the labelled positions are those of the full forward's rows
            float[] all = ref.readFloats("mlm_logits");
            int v = bert.config().vocabSize();
            double rowsError = 0;
            for (int i = 0; i < out.mlmPositions().length; i++) {
                float[] row = java.util.Arrays.copyOfRange(all, out.mlmPositions()[i] * v, (out.mlmPositions()[i] + 1) * v);
                rowsError = Math.max(rowsError, BertFixture.relativeError(java.util.Arrays.copyOfRange(out.mlmLogits(), i * v, (i + 1) * v), row));
            }
            bert.parameters().zeroGrad();
            bert.backward();
            Map<String, float[]> hf = new LinkedHashMap<>();
            for (String name : ref.names()) {
                if (name.startsWith("grad.")) {
                    hf.put(BertNames.canonical(name.substring("grad.".length())), ref.readFloats(name));
                }
            }
            Map<String, float[]> expected = BertNames.toInternal(bert.config(), hf);
            double gradError = 0;
            String worst = "";
            for (ParameterSpec spec : bert.parameters().specs()) {
                double e = BertFixture.relativeError(bert.parameters().grad(spec.name()), expected.get(spec.name()));
                if (e >= gradError) {
                    gradError = e;
                    worst = spec.name();
                }
            }
            System.out.printf(Locale.ROOT, "parity bert-pairs loss %.2e  masked rows %.2e  gradients %.2e (%s)%n",
                    lossError, rowsError, gradError, worst);
            assertThat(out.mlmCounted()).isEqualTo(5);
            assertThat(lossError).as("losses").isLessThan(1e-5);
            assertThat(rowsError).as("MLM logits at the masked positions").isLessThan(1e-5);
            assertThat(gradError).as("worst gradient: " + worst).isLessThan(1e-4);
        }
    }

    private static double relative(float actual, float expected) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }
}
