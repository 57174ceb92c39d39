package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The explicit backward agrees with central finite differences of the loss, for every parameter
 * tensor of every architecture variant (and with dropout on, masks held fixed).
 */
class GptGradientCheckTest {

    static Stream<Arguments> variants() {
        GptConfig base = GptConfig.gpt2(2, 2, 8, 8, 11);
        return Stream.of(
                Arguments.of("pre-LN, learned, gelu_new", base),
                Arguments.of("post-LN, sinusoidal, gelu", base.withLayerNorm(LayerNormPlacement.POST)
                        .withPositionalEncoding(PositionalEncoding.SINUSOIDAL).withActivation(Activation.GELU)),
                Arguments.of("pre-LN, no positions, relu", base.withPositionalEncoding(PositionalEncoding.NONE)
                        .withActivation(Activation.RELU)),
                Arguments.of("post-LN, learned, dropout 0.2", base.withLayerNorm(LayerNormPlacement.POST).withDropout(0.2)),
                Arguments.of("pre-LN, sinusoidal, dropout 0.2", base.withPositionalEncoding(PositionalEncoding.SINUSOIDAL)
                        .withDropout(0.2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void backwardMatchesFiniteDifferencesForEveryParameter(String name, GptConfig config) {
        Parameters params = noisyParameters(config, 7);
        Gpt gpt = new Gpt(config, params);
        gpt.setTraining(config.dropout() > 0, 99);
        int b = 2;
        int t = 5;
        SplittableRandom rng = new SplittableRandom(3);
        int[] tokens = rng.ints(b * t, 0, config.vocabSize()).toArray();
        int[] targets = rng.ints(b * t, 0, config.vocabSize()).toArray();
        targets[3] = -1;

        gpt.setForwardCount(0);
        gpt.forward(tokens, targets, b, t);
        gpt.backward();

        List<String> failures = new ArrayList<>();
        for (ParameterSpec spec : params.specs()) {
            float[] w = params.data(spec.name());
            float[] g = params.grad(spec.name());
            for (int index : probeIndices(g, rng)) {
                // A ReLU kink inside [w - h, w + h] spoils one step size, rarely two.
                double fd = finiteDifference(gpt, w, index, tokens, targets, b, t, 1e-3f);
                if (!close(fd, g[index])) {
                    fd = finiteDifference(gpt, w, index, tokens, targets, b, t, 2.5e-4f);
                }
                if (!close(fd, g[index])) {
                    failures.add(spec.name() + "[" + index + "]: backward " + g[index] + ", finite difference " + fd);
                }
            }
        }
        assertThat(failures).as(name).isEmpty();
    }

    private static boolean close(double fd, float backward) {
        return Math.abs(fd - backward) <= 3e-3 + 2e-2 * Math.abs(fd);
    }

    private static double finiteDifference(Gpt gpt, float[] w, int index, int[] tokens, int[] targets, int b, int t,
                                           float h) {
        float saved = w[index];
        w[index] = saved + h;
        gpt.setForwardCount(0);
        double plus = gpt.forward(tokens, targets, b, t).loss();
        w[index] = saved - h;
        gpt.setForwardCount(0);
        double minus = gpt.forward(tokens, targets, b, t).loss();
        w[index] = saved;
        return (plus - minus) / (2 * h);
    }

    /** The largest-gradient entry and two random ones. */
    private static int[] probeIndices(float[] g, SplittableRandom rng) {
        int largest = 0;
        for (int i = 1; i < g.length; i++) {
            if (Math.abs(g[i]) > Math.abs(g[largest])) {
                largest = i;
            }
        }
        return new int[] {largest, rng.nextInt(g.length), rng.nextInt(g.length)};
    }

    /** Weights large enough that every path carries signal (GPT-2's 0.02 would hide bugs). */
    static Parameters noisyParameters(GptConfig config, long seed) {
        Parameters p = Parameters.zeros(ParameterLayout.of(config));
        SplittableRandom rng = new SplittableRandom(seed);
        for (ParameterSpec s : p.specs()) {
            float[] d = p.data(s.name());
            boolean gain = s.name().contains("ln_") && s.name().endsWith(".weight");
            double std = s.rank() >= 2 ? 0.4 : 0.1;
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) ((gain ? 1.0 : 0.0) + rng.nextGaussian() * std);
            }
        }
        return p;
    }
}
