package org.gpt4j.tensor;

/**
 * LayerNorm over the last dimension: y = (x - mean) * rstd * w + b. The forward keeps mean and
 * rstd (1 / sqrt(var + eps)) per row: exactly what the backward needs.
 */
public final class LayerNormKernel {

    private LayerNormKernel() {
    }

    public static void forward(float[] y, float[] mean, float[] rstd, float[] x, float[] w, float[] b,
                               int rows, int c, float eps) {
        Parallel.forRange(rows, 8L * c, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * c;
                // Two passes in double: the variance of a residual stream with a large mean
                // loses digits in float.
                double sum = 0;
                for (int i = 0; i < c; i++) {
                    sum += x[o + i];
                }
                double m = sum / c;
                double var = 0;
                for (int i = 0; i < c; i++) {
                    double d = x[o + i] - m;
                    var += d * d;
                }
                var /= c;
                float s = (float) (1.0 / Math.sqrt(var + eps));
                float mf = (float) m;
                for (int i = 0; i < c; i++) {
                    y[o + i] = (x[o + i] - mf) * s * w[i] + b[i];
                }
                mean[r] = mf;
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
        Parallel.forRange(rows, 10L * c, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * c;
                float m = mean[r];
                float s = rstd[r];
                double dnormMean = 0;
                double dnormNormMean = 0;
                for (int i = 0; i < c; i++) {
                    float norm = (x[o + i] - m) * s;
                    float dnorm = w[i] * dy[o + i];
                    dnormMean += dnorm;
                    dnormNormMean += dnorm * norm;
                }
                float a = (float) (dnormMean / c);
                float bb = (float) (dnormNormMean / c);
                for (int i = 0; i < c; i++) {
                    float norm = (x[o + i] - m) * s;
                    float dnorm = w[i] * dy[o + i];
                    dx[o + i] += (dnorm - a - norm * bb) * s;
                }
            }
        });
        if (dw != null || db != null) {
            Parallel.forRange(c, 4L * rows, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    float gw = 0;
                    float gb = 0;
                    for (int r = 0; r < rows; r++) {
                        float g = dy[r * c + i];
                        gw += (x[r * c + i] - mean[r]) * rstd[r] * g;
                        gb += g;
                    }
                    if (dw != null) {
                        dw[i] += gw;
                    }
                    if (db != null) {
                        db[i] += gb;
                    }
                }
            });
        }
    }
}
