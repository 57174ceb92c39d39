package org.gpt4j.model;

import org.gpt4j.tensor.Matmul;

/** GPT-2's Conv1D: y = x W + b with W stored {@code [in, out]}. */
final class Linear {

    private final Parameters params;
    private final String weightName;
    private final String biasName;
    private final float[] w;
    private final float[] b;
    final int in;
    final int out;

    Linear(Parameters params, String prefix, int in, int out) {
        this.params = params;
        this.weightName = prefix + ".weight";
        this.biasName = prefix + ".bias";
        this.w = params.data(weightName);
        this.b = params.data(biasName);
        this.in = in;
        this.out = out;
    }

    void forward(float[] y, float[] x, int rows) {
        Matmul.forward(y, x, w, b, rows, in, out);
    }

    /** dx (may be null) += dy W^T; the weight and bias gradients accumulate. */
    void backward(float[] dx, float[] dy, float[] x, int rows) {
        Matmul.backward(dx, params.grad(weightName), params.grad(biasName), dy, x, w, rows, in, out);
    }
}
