package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One AdamW step over a parameter tensor (Loshchilov and Hutter; PyTorch's {@code AdamW}):
 * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr (m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps) + wd w).
 * One fused pass over w, g, m and v: the step is bound by memory, not arithmetic.
 */
public final class AdamWKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private AdamWKernel() {
    }

    /** {@code step} counts from 1. */
    public static void update(float[] w, float[] g, float[] m, float[] v, int n, float lr, float beta1, float beta2,
                              float eps, float weightDecay, long step) {
        float c1 = (float) (1.0 / (1.0 - Math.pow(beta1, step)));
        float c2 = (float) (1.0 / (1.0 - Math.pow(beta2, step)));
        float decay = 1f - lr * weightDecay;
        Parallel.forRange((n + 1023) / 1024, 8 * 1024, (q0, q1) -> {
            int i0 = q0 * 1024;
            int i1 = Math.min(n, q1 * 1024);
            int i = i0;
            FloatVector b1 = FloatVector.broadcast(S, beta1);
            FloatVector b2 = FloatVector.broadcast(S, beta2);
            FloatVector a1 = FloatVector.broadcast(S, 1f - beta1);
            FloatVector a2 = FloatVector.broadcast(S, 1f - beta2);
            for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += S.length()) {
                FloatVector gv = FloatVector.fromArray(S, g, i);
                FloatVector mv = FloatVector.fromArray(S, m, i).mul(b1).add(gv.mul(a1));
                FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(gv.mul(gv).mul(a2));
                mv.intoArray(m, i);
                vv.intoArray(v, i);
                FloatVector denom = vv.mul(c2).sqrt().add(eps);
                FloatVector wv = FloatVector.fromArray(S, w, i).mul(decay);
                wv.sub(mv.mul(c1).div(denom).mul(lr)).intoArray(w, i);
            }
            for (; i < i1; i++) {
                float gi = g[i];
                m[i] = beta1 * m[i] + (1f - beta1) * gi;
                v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
                float denom = (float) Math.sqrt(v[i] * c2) + eps;
                w[i] = w[i] * decay - lr * (m[i] * c1 / denom);
            }
        });
    }
}
