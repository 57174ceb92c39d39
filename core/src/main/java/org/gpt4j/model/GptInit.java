package org.gpt4j.model;

import java.util.SplittableRandom;

/**
 * GPT-2's initialisation: every weight matrix and embedding drawn from N(0, 0.02), the residual
 * projections ({@code c_proj}) from N(0, 0.02 / sqrt(2 n_layer)) so the residual stream's variance
 * does not grow with depth, biases 0, LayerNorm gains 1. One seed fixes every value.
 */
public final class GptInit {

    public static final double STD = 0.02;

    private GptInit() {
    }

    public static Gpt randomGpt(GptConfig config, long seed) {
        return new Gpt(config, gpt2(config, seed));
    }

    /**
     * @throws IllegalArgumentException before allocating anything when the weights cannot fit in
     *                                  the heap (with the -Xmx to give)
     */
    public static Parameters gpt2(GptConfig config, long seed) {
        HeapBudget.requireWeights(config, Float.BYTES, "initialising");
        Parameters p = Parameters.zeros(ParameterLayout.of(config));
        SplittableRandom rng = new SplittableRandom(seed);
        double residualStd = STD / Math.sqrt(2.0 * config.nLayer());
        for (ParameterSpec spec : p.specs()) {
            float[] data = p.data(spec.name());
            String name = spec.name();
            if (name.contains(".ln_") || name.startsWith("ln_f.")) {
                if (name.endsWith(".weight")) {
                    java.util.Arrays.fill(data, 1f);
                }
            } else if (spec.rank() >= 2) {
                double std = spec.isResidualProjection() ? residualStd : STD;
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (rng.nextGaussian() * std);
                }
            }
        }
        return p;
    }

    /**
     * A copy of {@code base} whose vocabulary grows by {@code added} tokens: new {@code wte} rows
     * drawn N(0, 0.02) from {@code rng} (GPT-2's embedding initialisation), every other weight
     * copied. The base is left unchanged; the caller may keep drawing from {@code rng}.
     */
    public static Gpt withAddedTokens(Gpt base, int added, java.util.SplittableRandom rng) {
        GptConfig c = base.config();
        int v0 = c.vocabSize();
        GptConfig grown = new GptConfig(c.nLayer(), c.nHead(), c.nEmbd(), c.nPositions(), v0 + added, c.nInner(),
                c.layerNormEpsilon(), c.activation(), c.positionalEncoding(), c.layerNorm(), c.dropout());
        java.util.Map<String, float[]> values = new java.util.HashMap<>();
        for (ParameterSpec s : base.parameters().specs()) {
            values.put(s.name(), base.parameters().data(s.name()).clone());
        }
        float[] wte = java.util.Arrays.copyOf(values.get("wte.weight"), (v0 + added) * c.nEmbd());
        for (int i = v0 * c.nEmbd(); i < wte.length; i++) {
            wte[i] = (float) (STD * rng.nextGaussian());
        }
        values.put("wte.weight", wte);
        return new Gpt(grown, Parameters.of(ParameterLayout.of(grown), values));
    }
}
