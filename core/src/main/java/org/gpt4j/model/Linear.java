package org.gpt4j.model;

import org.gpt4j.tensor.CompactMatmul;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.Matmul;

/**
 * GPT-2's Conv1D: y = x W + b with W stored {@code [in, out]}. When the parameters hold W as a
 * bf16 or int8 copy (one scale per output column) the layer reads that and serves inference only.
 */
final class Linear {

    private final Parameters params;
    private final String weightName;
    private final String biasName;
    private final float[] w;
    private final float[] b;
    private final CompactMatrix compact;
    final int in;
    final int out;

    Linear(Parameters params, String prefix, int in, int out) {
        this.params = params;
        this.weightName = prefix + ".weight";
        this.biasName = prefix + ".bias";
        this.compact = params.compactData(weightName);
        this.w = compact == null ? params.data(weightName) : null;
        this.b = params.data(biasName);
        this.in = in;
        this.out = out;
    }

    void forward(float[] y, float[] x, int rows) {
        if (compact != null) {
            CompactMatmul.forward(y, x, compact, b, rows);
        } else {
            Matmul.forward(y, x, w, b, rows, in, out);
        }
    }

    /** dx (may be null) += dy W^T; the weight and bias gradients accumulate. */
    void backward(float[] dx, float[] dy, float[] x, int rows) {
        if (compact != null) {
            throw new IllegalStateException(weightName + " is stored as " + compact.format().label()
                    + " for inference; training needs f32 weights");
        }
        Matmul.backward(dx, params.grad(weightName), params.grad(biasName), dy, x, w, rows, in, out);
    }
}
