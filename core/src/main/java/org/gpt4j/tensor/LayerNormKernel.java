package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNorm over the last dimension: y = (x - mean) * rstd * w + b. The forward keeps mean and
 * rstd (1 / sqrt(var + eps)) per row: exactly what the backward needs.
 */
public final class LayerNormKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private LayerNormKernel() {
    }

    public static void forward(float[] y, float[] mean, float[] rstd, float[] x, float[] w, float[] b,
                               int rows, int c, float eps) {
        int bound = S.loopBound(c);
        Parallel.forRange(rows, 8L * c, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * c;
                // Two passes (mean, then squared deviations): the variance of a residual stream
                // with a large mean would lose its digits in one.
                FloatVector acc = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += L) {
                    acc = acc.add(FloatVector.fromArray(S, x, o + i));
                }
                double sum = VectorMath.sum(acc);
                for (; i < c; i++) {
                    sum += x[o + i];
                }
                float m = (float) (sum / c);
                acc = FloatVector.zero(S);
                for (i = 0; i < bound; i += L) {
                    FloatVector d = FloatVector.fromArray(S, x, o + i).sub(m);
                    acc = d.fma(d, acc);
                }
                double var = VectorMath.sum(acc);
                for (; i < c; i++) {
                    double d = x[o + i] - m;
                    var += d * d;
                }
                float s = (float) (1.0 / Math.sqrt(var / c + eps));
                for (i = 0; i < bound; i += L) {
                    FloatVector norm = FloatVector.fromArray(S, x, o + i).sub(m).mul(s);
                    norm.fma(FloatVector.fromArray(S, w, i), FloatVector.fromArray(S, b, i)).intoArray(y, o + i);
                }
                for (; i < c; i++) {
                    y[o + i] = (x[o + i] - m) * s * w[i] + b[i];
                }
                mean[r] = m;
                rstd[r] = s;
            }
        });
    }

    /**
     * dx += the input gradient; dw, db += the parameter gradients. Parameter gradients are
     * reduced over rows on one thread per column range, so the result is deterministic.
     */
    public static void backward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                float[] mean, float[] rstd, int rows, int c) {
        int bound = S.loopBound(c);
        Parallel.forRange(rows, 10L * c, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * c;
                float m = mean[r];
                float s = rstd[r];
                FloatVector accMean = FloatVector.zero(S);
                FloatVector accNorm = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += L) {
                    FloatVector norm = FloatVector.fromArray(S, x, o + i).sub(m).mul(s);
                    FloatVector dnorm = FloatVector.fromArray(S, w, i).mul(FloatVector.fromArray(S, dy, o + i));
                    accMean = accMean.add(dnorm);
                    accNorm = dnorm.fma(norm, accNorm);
                }
                double dnormMean = VectorMath.sum(accMean);
                double dnormNormMean = VectorMath.sum(accNorm);
                for (; i < c; i++) {
                    float norm = (x[o + i] - m) * s;
                    float dnorm = w[i] * dy[o + i];
                    dnormMean += dnorm;
                    dnormNormMean += dnorm * norm;
                }
                float a = (float) (dnormMean / c);
                float bb = (float) (dnormNormMean / c);
                for (i = 0; i < bound; i += L) {
                    FloatVector norm = FloatVector.fromArray(S, x, o + i).sub(m).mul(s);
                    FloatVector dnorm = FloatVector.fromArray(S, w, i).mul(FloatVector.fromArray(S, dy, o + i));
                    FloatVector g = dnorm.sub(a).sub(norm.mul(bb)).mul(s);
                    FloatVector.fromArray(S, dx, o + i).add(g).intoArray(dx, o + i);
                }
                for (; i < c; i++) {
                    float norm = (x[o + i] - m) * s;
                    float dnorm = w[i] * dy[o + i];
                    dx[o + i] += (dnorm - a - norm * bb) * s;
                }
            }
        });
        if (dw != null || db != null) {
            int blocks = (c + L - 1) / L;
            Parallel.forRange(blocks, 4L * rows * L, (q0, q1) -> {
                for (int q = q0; q < q1; q++) {
                    int i = q * L;
                    if (i + L <= c) {
                        FloatVector gw = FloatVector.zero(S);
                        FloatVector gb = FloatVector.zero(S);
                        for (int r = 0; r < rows; r++) {
                            FloatVector g = FloatVector.fromArray(S, dy, r * c + i);
                            FloatVector norm = FloatVector.fromArray(S, x, r * c + i).sub(mean[r]).mul(rstd[r]);
                            gw = norm.fma(g, gw);
                            gb = gb.add(g);
                        }
                        if (dw != null) {
                            FloatVector.fromArray(S, dw, i).add(gw).intoArray(dw, i);
                        }
                        if (db != null) {
                            FloatVector.fromArray(S, db, i).add(gb).intoArray(db, i);
                        }
                    } else {
                        for (int j = i; j < c; j++) {
                            float gw = 0;
                            float gb = 0;
                            for (int r = 0; r < rows; r++) {
                                float g = dy[r * c + j];
                                gw += (x[r * c + j] - mean[r]) * rstd[r] * g;
                                gb += g;
                            }
                            if (dw != null) {
                                dw[j] += gw;
                            }
                            if (db != null) {
                                db[j] += gb;
                            }
                        }
                    }
                }
            });
        }
    }
}
