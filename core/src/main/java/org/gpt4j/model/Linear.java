package org.gpt4j.model;

import org.gpt4j.tensor.CompactMatmul;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.Matmul;

/**
 * GPT-2's Conv1D: y = x W + b with W stored {@code [in, out]}. When the parameters hold W as a
 * bf16 or int8 copy (transposed to {@code [out, in]}, one scale per output) the layer reads that
 * and serves inference only.
 * In a GPT with LoRA adapters W and b are frozen (no gradient: PEFT's bias "none") and a
 * targeted layer adds its {@link LoraLayer}. Small networks outside a GPT (PPO's actor and
 * critic) build theirs with {@link #Linear(Parameters, String, int, int)}.
 */
public final class Linear {

    private final Parameters params;
    private final String weightName;
    private final String biasName;
    private final float[] w;
    private final float[] b;
    private final CompactMatrix compact;
    private final boolean frozen;
    private final LoraLayer lora;
    final int in;
    final int out;

    /** A trainable layer over {@code prefix.weight [in, out]} and {@code prefix.bias [out]} of {@code params}. */
    public Linear(Parameters params, String prefix, int in, int out) {
        this(params, prefix, in, out, null);
    }

    /** {@code adapters} (or null) freeze the layer and may adapt it. */
    Linear(Parameters params, String prefix, int in, int out, LoraAdapters adapters) {
        this.params = params;
        this.weightName = prefix + ".weight";
        this.biasName = prefix + ".bias";
        this.compact = params.compactData(weightName);
        this.w = compact == null ? params.data(weightName) : null;
        this.b = params.data(biasName);
        this.in = in;
        this.out = out;
        this.frozen = adapters != null;
        this.lora = adapters == null ? null : adapters.layer(prefix);
    }

    /** y {@code [rows, out]} = x {@code [rows, in]} W + b. */
    public void forward(float[] y, float[] x, int rows) {
        if (compact != null) {
            CompactMatmul.forward(y, x, compact, b, rows);
        } else {
            Matmul.forward(y, x, w, b, rows, in, out);
        }
        if (lora != null) {
            lora.forward(y, x, rows);
        }
    }

    /** dx (may be null) += dy W^T; the weight and bias gradients accumulate unless frozen. */
    public void backward(float[] dx, float[] dy, float[] x, int rows) {
        if (compact != null) {
            throw new IllegalStateException(weightName + " is stored as " + compact.format().label()
                    + " for inference; training needs f32 weights");
        }
        if (frozen) {
            Matmul.backward(dx, null, null, dy, x, w, rows, in, out);
        } else {
            Matmul.backward(dx, params.grad(weightName), params.grad(biasName), dy, x, w, rows, in, out);
        }
        if (lora != null) {
            lora.backward(dx, dy, x, rows);
        }
    }
}
