package org.gpt4j.model;

import org.gpt4j.tensor.LayerNormKernel;

/** A LayerNorm with its gain and bias, keeping each row's mean and rstd for the backward. */
final class LayerNorm {

    private final Parameters params;
    private final String weightName;
    private final String biasName;
    private final float[] w;
    private final float[] b;
    private final int c;
    private final float eps;
    private float[] mean;
    private float[] rstd;

    LayerNorm(Parameters params, String prefix, int c, double eps) {
        this.params = params;
        this.weightName = prefix + ".weight";
        this.biasName = prefix + ".bias";
        this.w = params.data(weightName);
        this.b = params.data(biasName);
        this.c = c;
        this.eps = (float) eps;
    }

    void forward(float[] y, float[] x, int rows) {
        mean = Buffers.atLeast(mean, rows);
        rstd = Buffers.atLeast(rstd, rows);
        LayerNormKernel.forward(y, mean, rstd, x, w, b, rows, c, eps);
    }

    /** y = LN(x) without touching the statistics the backward keeps (for reading, not training). */
    void apply(float[] y, float[] x, int rows) {
        LayerNormKernel.forward(y, new float[rows], new float[rows], x, w, b, rows, c, eps);
    }

    /** dx += the gradient through this LayerNorm, for the x given to the last forward. */
    void backward(float[] dx, float[] dy, float[] x, int rows) {
        LayerNormKernel.backward(dx, params.grad(weightName), params.grad(biasName), dy, x, w, mean, rstd, rows, c);
    }
}
