package org.gpt4j.tensor;

/**
 * Causal multi-head scaled dot-product attention: for each head, softmax(Q K^T / sqrt(hs)) V,
 * where a query at position p sees only keys at positions <= p. Masked work is skipped, and the
 * attention probabilities are kept (the backward needs them; the trace shows them).
 *
 * <p>Queries, keys and values are read from arrays with offsets and row strides, so the same
 * kernel reads the fused {@code qkv [B, T, 3C]} buffer of training and a separate key/value cache
 * during generation. Rows of a cache hold {@code kvCapacity} positions per sequence; the
 * {@code T} new queries stand at positions {@code past .. past+T-1}.
 */
public final class AttentionKernel {

    private AttentionKernel() {
    }

    /** Where Q, K and V live; see the class comment. */
    public record Layout(float[] q, int qOffset, int qStride,
                         float[] k, int kOffset, float[] v, int vOffset, int kvStride, int kvCapacity) {

        /** Training's fused {@code qkv [B, T, 3C]} buffer: q, k, v side by side in each row. */
        public static Layout fused(float[] qkv, int t, int c) {
            return new Layout(qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, t);
        }
    }

    /**
     * y [B, T, C] = attention output; att [B, NH, T, past+T] = probabilities (zero where masked).
     * {@code dropMask} (same shape as att, or null) multiplies the probabilities on their way to
     * the values — attention dropout — while {@code att} keeps them undropped.
     */
    public static void forward(float[] y, float[] att, float[] dropMask, Layout in, int b, int t, int past,
                               int nh, int hs) {
        int c = nh * hs;
        int span = past + t;
        float scale = (float) (1.0 / Math.sqrt(hs));
        Parallel.forRange(b * nh * t, 2L * span * hs, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int ti = i % t;
                int h = (i / t) % nh;
                int bi = i / (t * nh);
                int pos = past + ti;
                int qo = in.qOffset + (bi * t + ti) * in.qStride + h * hs;
                int ao = ((bi * nh + h) * t + ti) * span;
                int kvBase = bi * in.kvCapacity;
                float max = Float.NEGATIVE_INFINITY;
                for (int s = 0; s <= pos; s++) {
                    int ko = in.kOffset + (kvBase + s) * in.kvStride + h * hs;
                    float score = Matmul.dot(in.q, qo, in.k, ko, hs) * scale;
                    att[ao + s] = score;
                    if (score > max) {
                        max = score;
                    }
                }
                float sum = 0;
                for (int s = 0; s <= pos; s++) {
                    float e = (float) Math.exp(att[ao + s] - max);
                    att[ao + s] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int s = 0; s <= pos; s++) {
                    att[ao + s] *= inv;
                }
                java.util.Arrays.fill(att, ao + pos + 1, ao + span, 0f);
                int yo = (bi * t + ti) * c + h * hs;
                java.util.Arrays.fill(y, yo, yo + hs, 0f);
                for (int s = 0; s <= pos; s++) {
                    int vo = in.vOffset + (kvBase + s) * in.kvStride + h * hs;
                    float weight = dropMask == null ? att[ao + s] : att[ao + s] * dropMask[ao + s];
                    Matmul.axpy(weight, in.v, vo, y, yo, hs);
                }
            }
        });
    }

    /**
     * Backward for training (no cache, past = 0): given dy [B, T, C], accumulates the gradients
     * of q, k and v into {@code dqkv [B, T, 3C]}. {@code dropMask} is the forward's, or null.
     */
    public static void backward(float[] dqkv, float[] dy, float[] att, float[] dropMask, float[] qkv,
                                int b, int t, int nh, int hs) {
        int c = nh * hs;
        int c3 = 3 * c;
        float scale = (float) (1.0 / Math.sqrt(hs));
        // Parallel over (batch, head): each pair owns its own columns of dqkv, so no two threads
        // ever add into the same element.
        Parallel.forRange(b * nh, 4L * t * t * hs, (p0, p1) -> {
            float[] datt = new float[t];
            for (int p = p0; p < p1; p++) {
                int bi = p / nh;
                int h = p % nh;
                for (int ti = 0; ti < t; ti++) {
                    int ao = ((bi * nh + h) * t + ti) * t;
                    int dyo = (bi * t + ti) * c + h * hs;
                    int qo = (bi * t + ti) * c3 + h * hs;
                    float weighted = 0;
                    for (int s = 0; s <= ti; s++) {
                        int vo = (bi * t + s) * c3 + 2 * c + h * hs;
                        float keep = dropMask == null ? 1f : dropMask[ao + s];
                        // datt is the gradient of the undropped probability.
                        datt[s] = keep == 0f ? 0f : Matmul.dot(dy, dyo, qkv, vo, hs) * keep;
                        weighted += att[ao + s] * datt[s];
                        Matmul.axpy(att[ao + s] * keep, dy, dyo, dqkv, vo, hs);
                    }
                    for (int s = 0; s <= ti; s++) {
                        float dscore = att[ao + s] * (datt[s] - weighted) * scale;
                        int ko = (bi * t + s) * c3 + c + h * hs;
                        Matmul.axpy(dscore, qkv, ko, dqkv, qo, hs);
                        Matmul.axpy(dscore, qkv, qo, dqkv, ko, hs);
                    }
                }
            }
        });
    }
}
