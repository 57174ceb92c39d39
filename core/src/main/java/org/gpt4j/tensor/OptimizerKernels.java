package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The optimiser's loops over every parameter: the AdamW update, the squared norm that gradient
 * clipping needs, scaling, and the sum of data-parallel replicas' gradients. Each touches every
 * weight once per step, so they are vectorised.
 */
public final class OptimizerKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Values per block: AdamW hands blocks to the pool; sums of squares add each block in float lanes, then in double. */
    private static final int BLOCK = 1024;

    private OptimizerKernels() {
    }

    /**
     * One AdamW step over n values, in torch.optim.AdamW's order of operations: decoupled decay
     * {@code p *= 1 - lr*wd}, then {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2}, then
     * {@code p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)}.
     *
     * @param bc1 the bias correction 1 - beta1^t
     * @param bc2 the bias correction 1 - beta2^t
     */
    public static void adamw(float[] p, float[] g, float[] m, float[] v, int n, double lr, double beta1,
            double beta2, double eps, double weightDecay, double bc1, double bc2) {
        float decay = (float) (1 - lr * weightDecay);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float e = (float) eps;
        // Every element is independent: chunks of BLOCK on the pool give the same bits in any order.
        Parallel.forRange((n + BLOCK - 1) / BLOCK, 8L * BLOCK, (q0, q1) -> {
            int end = Math.min(n, q1 * BLOCK);
            int i = q0 * BLOCK;
            for (int bound = i + S.loopBound(end - i); i < bound; i += S.length()) {
                FloatVector gv = FloatVector.fromArray(S, g, i);
                FloatVector mv = FloatVector.fromArray(S, m, i).mul(b1).add(gv.mul(c1));
                FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(gv.mul(gv).mul(c2));
                FloatVector denom = vv.sqrt().div(bc2Sqrt).add(e);
                FloatVector pv = FloatVector.fromArray(S, p, i).mul(decay);
                pv.sub(mv.div(denom).mul(stepSize)).intoArray(p, i);
                mv.intoArray(m, i);
                vv.intoArray(v, i);
            }
            for (; i < end; i++) {
                float gi = g[i];
                float mi = m[i] * b1 + gi * c1;
                float vi = v[i] * b2 + gi * gi * c2;
                float denom = (float) Math.sqrt(vi) / bc2Sqrt + e;
                p[i] = p[i] * decay - mi / denom * stepSize;
                m[i] = mi;
                v[i] = vi;
            }
        });
    }

    /** The sum of x[i]^2 over n values. */
    public static double sumOfSquares(float[] x, int n) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int end = Math.min(n, start + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            int i = start;
            for (int bound = start + S.loopBound(end - start); i < bound; i += S.length()) {
                FloatVector xv = FloatVector.fromArray(S, x, i);
                acc = xv.fma(xv, acc);
            }
            double block = VectorMath.sum(acc);
            for (; i < end; i++) {
                block += (double) x[i] * x[i];
            }
            total += block;
        }
        return total;
    }

    /** x *= s over n values. */
    public static void scale(float[] x, float s, int n) {
        Parallel.forRange((n + BLOCK - 1) / BLOCK, BLOCK, (q0, q1) -> {
            int i = q0 * BLOCK;
            int end = Math.min(n, q1 * BLOCK);
            for (int bound = i + S.loopBound(end - i); i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, i).mul(s).intoArray(x, i);
            }
            for (; i < end; i++) {
                x[i] *= s;
            }
        });
    }

    /** dst[dstOff + i] += src[srcOff + i] for i < n: one replica's gradients added to another's. */
    public static void addInto(float[] dst, int dstOff, float[] src, int srcOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, dst, dstOff + i).add(FloatVector.fromArray(S, src, srcOff + i)).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }
}
