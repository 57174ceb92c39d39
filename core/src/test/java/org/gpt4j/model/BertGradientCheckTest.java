package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * BERT's explicit backward agrees with central finite differences of the MLM + NSP loss for every
 * parameter tensor, with padding, two segments and dropout on (masks held fixed by replaying the
 * forward count); and bad inputs are refused with the field named.
 */
class BertGradientCheckTest {

    private static final BertConfig CONFIG = new BertConfig(13, 8, 2, 2, 12, 8, 2, 1e-12, Activation.GELU, 0.0);

    @ParameterizedTest(name = "dropout {0}")
    @ValueSource(doubles = {0.0, 0.2})
    void backwardMatchesFiniteDifferencesForEveryParameter(double dropout) {
        BertConfig config = CONFIG.withDropout(dropout);
        Parameters params = noisyParameters(config, 11);
        Bert bert = new Bert(config, params);
        bert.setTraining(dropout > 0, 5);
        int b = 2;
        int t = 6;
        SplittableRandom rng = new SplittableRandom(3);
        int[] tokens = rng.ints(b * t, 0, config.vocabSize()).toArray();
        int[] types = {0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0};
        int[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
        int[] mlm = new int[b * t];
        java.util.Arrays.fill(mlm, Bert.IGNORE);
        mlm[1] = 4;
        mlm[4] = 12;
        mlm[7] = 0;
        BertInput in = new BertInput(b, t, tokens, types, mask);
        int[] nsp = {1, 0};

        bert.setForwardCount(0);
        bert.forward(in, mlm, nsp);
        bert.backward();

        List<String> failures = new ArrayList<>();
        for (ParameterSpec spec : params.specs()) {
            float[] w = params.data(spec.name());
            float[] g = params.grad(spec.name());
            for (int index : probeIndices(g, rng)) {
                double fd = finiteDifference(bert, w, index, in, mlm, nsp, 1e-3f);
                if (!close(fd, g[index])) {
                    fd = finiteDifference(bert, w, index, in, mlm, nsp, 2.5e-4f);
                }
                if (!close(fd, g[index])) {
                    failures.add(spec.name() + "[" + index + "]: backward " + g[index] + ", finite difference " + fd);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void badInputsAreRefusedWithTheFieldNamed() {
        Bert bert = BertInit.randomBert(CONFIG, 1);
        assertThatThrownBy(() -> bert.forward(new BertInput(1, 9, new int[9], null, null)))
                .hasMessageContaining("longer than max_position_embeddings (8)");
        assertThatThrownBy(() -> bert.forward(new BertInput(1, 2, new int[] {0, 13}, null, null)))
                .hasMessageContaining("token id 13 at position 1 is outside the vocabulary");
        assertThatThrownBy(() -> bert.forward(new BertInput(1, 2, new int[2], new int[] {0, 2}, null)))
                .hasMessageContaining("token type id 2 at position 1");
        assertThatThrownBy(() -> new BertInput(1, 2, new int[2], null, new int[] {1, 2}))
                .hasMessageContaining("attention mask value 2 at position 1");
        assertThatThrownBy(() -> bert.forward(BertInput.of(1, 2, new int[2]), new int[] {-1, 3}, null))
                .hasMessageContaining("MLM label -1 at position 0");
        assertThatThrownBy(() -> bert.forward(BertInput.of(1, 2, new int[2]), null, new int[] {2}))
                .hasMessageContaining("next-sentence label 2 of sequence 0");
        bert.forward(BertInput.of(1, 2, new int[2]));
        assertThatThrownBy(bert::backward).hasMessageContaining("needs a forward with MLM or next-sentence labels");
    }

    private static boolean close(double fd, float backward) {
        return Math.abs(fd - backward) <= 3e-3 + 2e-2 * Math.abs(fd);
    }

    private static double finiteDifference(Bert bert, float[] w, int index, BertInput in, int[] mlm, int[] nsp, float h) {
        float saved = w[index];
        w[index] = saved + h;
        bert.setForwardCount(0);
        double plus = bert.forward(in, mlm, nsp).loss();
        w[index] = saved - h;
        bert.setForwardCount(0);
        double minus = bert.forward(in, mlm, nsp).loss();
        w[index] = saved;
        return (plus - minus) / (2 * h);
    }

    private static int[] probeIndices(float[] g, SplittableRandom rng) {
        int largest = 0;
        for (int i = 1; i < g.length; i++) {
            if (Math.abs(g[i]) > Math.abs(g[largest])) {
                largest = i;
            }
        }
        return new int[] {largest, rng.nextInt(g.length), rng.nextInt(g.length)};
    }

    /** Weights large enough that every path carries signal. */
    private static Parameters noisyParameters(BertConfig config, long seed) {
        Parameters p = Parameters.zeros(BertLayout.of(config));
        SplittableRandom rng = new SplittableRandom(seed);
        for (ParameterSpec s : p.specs()) {
            float[] d = p.data(s.name());
            boolean gain = (s.name().contains("ln_") || s.name().startsWith("mlm.ln")) && s.name().endsWith(".weight");
            double std = s.rank() >= 2 ? 0.4 : 0.1;
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) ((gain ? 1.0 : 0.0) + rng.nextGaussian() * std);
            }
        }
        return p;
    }
}
