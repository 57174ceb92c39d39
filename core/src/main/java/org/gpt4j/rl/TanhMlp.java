package org.gpt4j.rl;

import java.util.Arrays;
import java.util.List;
import org.gpt4j.model.Linear;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.ActivationKernels;

/**
 * The MLP of CleanRL's PPO actor and critic: {@code h1 = tanh(x W0 + b0); h2 = tanh(h1 W2 + b2);
 * y = h2 W4 + b4}, on gpt4j's {@link Linear} layers. Its tensors are named as the PyTorch
 * {@code nn.Sequential} names them ({@code PREFIX.0}, {@code PREFIX.2}, {@code PREFIX.4}; 1 and 3
 * are the Tanh modules) but stored {@code [in, out]} as every gpt4j weight. The forward keeps
 * h1 and h2, which the backward needs (tanh' = 1 - tanh^2).
 */
final class TanhMlp {

    private final Linear l0;
    private final Linear l2;
    private final Linear l4;
    private final int hidden;
    private final int out;
    private float[] a1 = new float[0];
    private float[] h1 = new float[0];
    private float[] a2 = new float[0];
    private float[] h2 = new float[0];
    private float[] dh1 = new float[0];
    private float[] da1 = new float[0];
    private float[] dh2 = new float[0];
    private float[] da2 = new float[0];

    TanhMlp(Parameters params, String prefix, int in, int hidden, int out) {
        this.l0 = new Linear(params, prefix + ".0", in, hidden);
        this.l2 = new Linear(params, prefix + ".2", hidden, hidden);
        this.l4 = new Linear(params, prefix + ".4", hidden, out);
        this.hidden = hidden;
        this.out = out;
    }

    /** The parameter tensors of an MLP named {@code prefix}, in the order torch lists them. */
    static List<ParameterSpec> specs(String prefix, int in, int hidden, int out) {
        return List.of(
                new ParameterSpec(prefix + ".0.weight", new int[] {in, hidden}),
                new ParameterSpec(prefix + ".0.bias", new int[] {hidden}),
                new ParameterSpec(prefix + ".2.weight", new int[] {hidden, hidden}),
                new ParameterSpec(prefix + ".2.bias", new int[] {hidden}),
                new ParameterSpec(prefix + ".4.weight", new int[] {hidden, out}),
                new ParameterSpec(prefix + ".4.bias", new int[] {out}));
    }

    int out() {
        return out;
    }

    /** y {@code [rows, out]} from x {@code [rows, in]}. */
    void forward(float[] y, float[] x, int rows) {
        int n = rows * hidden;
        if (a1.length < n) {
            a1 = new float[n];
            h1 = new float[n];
            a2 = new float[n];
            h2 = new float[n];
            dh1 = new float[n];
            da1 = new float[n];
            dh2 = new float[n];
            da2 = new float[n];
        }
        l0.forward(a1, x, rows);
        ActivationKernels.tanhForward(h1, a1, n);
        l2.forward(a2, h1, rows);
        ActivationKernels.tanhForward(h2, a2, n);
        l4.forward(y, h2, rows);
    }

    /** Accumulates the parameters' gradients given dy, for the x of the last {@link #forward}. */
    void backward(float[] dy, float[] x, int rows) {
        int n = rows * hidden;
        Arrays.fill(dh2, 0, n, 0f);
        Arrays.fill(da2, 0, n, 0f);
        Arrays.fill(dh1, 0, n, 0f);
        Arrays.fill(da1, 0, n, 0f);
        l4.backward(dh2, dy, h2, rows);
        ActivationKernels.tanhBackward(da2, dh2, h2, n);
        l2.backward(dh1, da2, h1, rows);
        ActivationKernels.tanhBackward(da1, dh1, h1, n);
        l0.backward(null, da1, x, rows);
    }
}
