package org.gpt4j.model;

import org.gpt4j.tensor.ElementwiseKernels;
import org.gpt4j.tensor.Matmul;
import org.gpt4j.tensor.OptimizerKernels;

/**
 * One LoRA update beside a frozen Conv1D (Hu et al. 2021, eq. 3), computed as PEFT computes it,
 * on its own low-rank path:
 *
 * <pre>  y = x W0 + b  +  s (x A^T) B^T        A [r, in], B [out, r], s = alpha / r</pre>
 *
 * The backward, with u = s (x A^T) kept from the forward:
 *
 * <pre>  dB += dy^T u;   du = s (dy B);   dA += du^T x;   dx += du A</pre>
 *
 * Never forming W0 + s B A costs two thin products per layer (r is small) and lets the frozen
 * W0 skip its own weight gradient, the largest product of a backward; it also leaves W0 in
 * whatever format it is held (an adapter runs on a bf16 or int8 base for inference).
 */
final class LoraLayer {

    private final Parameters parameters;
    private final String aName;
    private final String bName;
    private final float[] a;
    private final float[] b;
    private final int in;
    private final int out;
    private final int rank;
    private final float scale;
    // The last forward's s (x A^T), and scratch.
    private float[] u;
    private float[] t;
    private float[] du;

    LoraLayer(Parameters parameters, String module, int in, int out, int rank, float scale) {
        this.parameters = parameters;
        this.aName = module + LoraAdapters.A;
        this.bName = module + LoraAdapters.B;
        this.a = parameters.data(aName);
        this.b = parameters.data(bName);
        this.in = in;
        this.out = out;
        this.rank = rank;
        this.scale = scale;
    }

    /** y += s (x A^T) B^T over {@code rows} rows of x {@code [rows, in]}. */
    void forward(float[] y, float[] x, int rows) {
        u = Buffers.atLeast(u, Buffers.checkedProduct(rows, rank));
        t = Buffers.atLeast(t, Buffers.checkedProduct(rows, out));
        Matmul.forwardTransposed(u, x, a, rows, in, rank);
        OptimizerKernels.scale(u, scale, rows * rank);
        Matmul.forwardTransposed(t, u, b, rows, rank, out);
        ElementwiseKernels.accumulate(y, t, rows * out);
    }

    /** dx (may be null) += the update's share of dL/dx; the gradients of A and B accumulate. */
    void backward(float[] dx, float[] dy, float[] x, int rows) {
        du = Buffers.zeroed(du, Buffers.checkedProduct(rows, rank));
        Matmul.backwardTransposed(du, parameters.grad(bName), dy, u, b, rows, rank, out);
        OptimizerKernels.scale(du, scale, rows * rank);
        Matmul.backwardTransposed(dx, parameters.grad(aName), du, x, a, rows, in, rank);
    }
}
