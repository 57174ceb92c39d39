package org.gpt4j.model;

import org.gpt4j.tensor.CompactMatmul;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.Matmul;
import org.gpt4j.tensor.WeightFormat;

/**
 * GPT-2's Conv1D: y = x W + b with W stored {@code [in, out]}. With a compact
 * {@link WeightFormat} the layer reads a bf16 or int8 copy of W (one scale per output column) and
 * serves inference only.
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

    Linear(Parameters params, String prefix, int in, int out, WeightFormat format) {
        this.params = params;
        this.weightName = prefix + ".weight";
        this.biasName = prefix + ".bias";
        this.w = params.data(weightName);
        this.b = params.data(biasName);
        this.compact = format == WeightFormat.F32 ? null : CompactMatrix.of(w, in, out, false, format);
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
