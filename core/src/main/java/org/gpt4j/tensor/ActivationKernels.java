package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The feed-forward non-linearities (GELU, ReLU, and tanh for small RL networks) and their derivatives, element-wise over {@code n} values.
 * The forward is given the pre-activation, which the backward needs again.
 */
public final class ActivationKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Parallel chunks are whole blocks, so each thread's vector loop starts aligned. */
    private static final int BLOCK = 1024;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private ActivationKernels() {
    }

    /** GPT-2's tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public static void geluTanhForward(float[] y, float[] x, int n) {
        Parallel.forRange(blocks(n), 20L * BLOCK, (q0, q1) -> {
            int i1 = Math.min(n, q1 * BLOCK);
            int i = q0 * BLOCK;
            for (int bound = i + S.loopBound(i1 - i); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                FloatVector u = v.mul(v).mul(v).mul(0.044715f).add(v).mul(SQRT_2_OVER_PI);
                FloatVector t = VectorMath.tanh(u);
                t.add(1f).mul(v).mul(0.5f).intoArray(y, i);
            }
            for (; i < i1; i++) {
                float v = x[i];
                float u = SQRT_2_OVER_PI * (v + 0.044715f * v * v * v);
                y[i] = 0.5f * v * (1f + (float) StrictMath.tanh(u));
            }
        });
    }

    /** dx += dy * gelu_tanh'(x). */
    public static void geluTanhBackward(float[] dx, float[] dy, float[] x, int n) {
        Parallel.forRange(blocks(n), 25L * BLOCK, (q0, q1) -> {
            int i1 = Math.min(n, q1 * BLOCK);
            int i = q0 * BLOCK;
            for (int bound = i + S.loopBound(i1 - i); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                FloatVector v2 = v.mul(v);
                FloatVector u = v2.mul(v).mul(0.044715f).add(v).mul(SQRT_2_OVER_PI);
                FloatVector t = VectorMath.tanh(u);
                FloatVector sech2 = t.mul(t).neg().add(1f);
                FloatVector du = v2.fma(3f * 0.044715f, 1f).mul(SQRT_2_OVER_PI);
                FloatVector local = t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(sech2).mul(du));
                FloatVector.fromArray(S, dy, i).fma(local, FloatVector.fromArray(S, dx, i)).intoArray(dx, i);
            }
            for (; i < i1; i++) {
                float v = x[i];
                float u = SQRT_2_OVER_PI * (v + 0.044715f * v * v * v);
                float t = (float) StrictMath.tanh(u);
                float sech2 = 1f - t * t;
                float du = SQRT_2_OVER_PI * (1f + 3f * 0.044715f * v * v);
                dx[i] += dy[i] * (0.5f * (1f + t) + 0.5f * v * sech2 * du);
            }
        });
    }

    /** y = tanh(x) over n values (BERT's pooler; the hidden non-linearity of PPO's actor and critic MLPs). */
    public static void tanhForward(float[] y, float[] x, int n) {
        Parallel.forRange(blocks(n), 15L * BLOCK, (q0, q1) -> {
            int i1 = Math.min(n, q1 * BLOCK);
            int i = q0 * BLOCK;
            for (int bound = i + S.loopBound(i1 - i); i < bound; i += L) {
                VectorMath.tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
            }
            for (; i < i1; i++) {
                y[i] = (float) StrictMath.tanh(x[i]);
            }
        });
    }

    /** dx += dy * (1 - y^2), given the forward's output y = tanh(x): tanh' needs no second tanh. */
    public static void tanhBackward(float[] dx, float[] dy, float[] y, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, i);
            FloatVector local = yv.mul(yv).neg().add(1f);
            FloatVector.fromArray(S, dy, i).fma(local, FloatVector.fromArray(S, dx, i)).intoArray(dx, i);
        }
        for (; i < n; i++) {
            dx[i] += dy[i] * (1f - y[i] * y[i]);
        }
    }

    private static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }

    /** The exact GELU: x * Phi(x), Phi the standard normal CDF. */
    public static void geluForward(float[] y, float[] x, int n) {
        Parallel.forRange(n, 30, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                double v = x[i];
                y[i] = (float) (v * normalCdf(v));
            }
        });
    }

    /** dx += dy * (Phi(x) + x phi(x)). */
    public static void geluBackward(float[] dx, float[] dy, float[] x, int n) {
        Parallel.forRange(n, 30, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                double v = x[i];
                double pdf = INV_SQRT_2PI * StrictMath.exp(-0.5 * v * v);
                dx[i] += (float) (dy[i] * (normalCdf(v) + v * pdf));
            }
        });
    }

    public static void reluForward(float[] y, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] > 0 ? x[i] : 0f;
        }
    }

    public static void reluBackward(float[] dx, float[] dy, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            if (x[i] > 0) {
                dx[i] += dy[i];
            }
        }
    }

    /** Phi(x) = erfc(-x / sqrt 2) / 2, written so both tails keep their relative precision. */
    static double normalCdf(double x) {
        double z = x * INV_SQRT_2;
        return z >= 0 ? 1.0 - 0.5 * erfc(z) : 0.5 * erfc(-z);
    }

    /**
     * The complementary error function for z >= 0, with fractional error below 1.2e-7
     * (the Chebyshev fit of Numerical Recipes, section 6.2): ample for float32.
     */
    static double erfc(double z) {
        double t = 1.0 / (1.0 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        return t * StrictMath.exp(poly);
    }
}
