package org.gpt4j.inspect;

import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInput;

/**
 * Sentence vectors from a BERT's last hidden states (feature extraction): the {@code [CLS]}
 * position's state, or the mean over the positions that are not padding (sentence-transformers'
 * mean pooling).
 */
public final class SentenceEmbeddings {

    /** How a sequence's hidden states become one vector. */
    public enum Pooling {
        /** The last hidden state at position 0 ([CLS]). */
        CLS,
        /** The mean of the last hidden states where the attention mask is 1. */
        MEAN;

        /** Parses "cls" or "mean". */
        public static Pooling fromName(String name) {
            return switch (name) {
                case "cls" -> CLS;
                case "mean" -> MEAN;
                default -> throw new IllegalArgumentException("unknown pooling '" + name + "' (expected cls or mean)");
            };
        }
    }

    private SentenceEmbeddings() {
    }

    /** One vector of hidden_size per sequence of {@code in}, {@code [B][C]}. */
    public static float[][] embed(Bert bert, BertInput in, Pooling pooling) {
        bert.encode(in);
        float[] h = bert.lastHiddenState();
        int c = bert.config().hiddenSize();
        int t = in.length();
        float[][] out = new float[in.batch()][c];
        for (int b = 0; b < in.batch(); b++) {
            if (pooling == Pooling.CLS) {
                System.arraycopy(h, b * t * c, out[b], 0, c);
                continue;
            }
            // sums in double: a mean over 512 positions keeps float32's precision
            double[] sum = new double[c];
            int n = 0;
            for (int ti = 0; ti < t; ti++) {
                if (in.attentionMask() != null && in.attentionMask()[b * t + ti] == 0) {
                    continue;
                }
                n++;
                int o = (b * t + ti) * c;
                for (int i = 0; i < c; i++) {
                    sum[i] += h[o + i];
                }
            }
            for (int i = 0; i < c; i++) {
                out[b][i] = n == 0 ? 0f : (float) (sum[i] / n);
            }
        }
        return out;
    }
}
