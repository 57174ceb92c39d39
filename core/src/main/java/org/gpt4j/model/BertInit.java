package org.gpt4j.model;

import java.util.SplittableRandom;

/**
 * BERT's initialisation (Hugging Face's BertPreTrainedModel._init_weights, after Google's
 * truncated normal): every weight matrix and embedding from N(0, 0.02), biases 0 (the MLM output
 * bias too), LayerNorm gains 1. One seed fixes every value.
 */
public final class BertInit {

    public static final double STD = 0.02;

    private BertInit() {
    }

    /**
     * @throws IllegalArgumentException before allocating anything when the weights cannot fit in
     *                                  the heap (with the -Xmx to give)
     */
    public static Bert randomBert(BertConfig config, long seed) {
        BertLayout.requireHeap(config, "initialising");
        Parameters p = Parameters.zeros(BertLayout.of(config));
        SplittableRandom rng = new SplittableRandom(seed);
        for (ParameterSpec spec : p.specs()) {
            float[] data = p.data(spec.name());
            String name = spec.name();
            if (spec.rank() >= 2) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (rng.nextGaussian() * STD);
                }
            } else if (isLayerNormGain(name)) {
                java.util.Arrays.fill(data, 1f);
            }
        }
        return new Bert(config, p);
    }

    private static boolean isLayerNormGain(String name) {
        return name.endsWith(".weight") && (name.startsWith("ln_e.") || name.contains(".ln_") || name.startsWith("mlm.ln."));
    }
}
