package org.gpt4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.OptimizerKernels;

/**
 * AdamW (Loshchilov and Hutter) as torch.optim.AdamW computes it: bias-corrected moments and a
 * weight decay that shrinks the weights directly instead of entering the gradient. As in GPT-2 and
 * nanoGPT, only tensors of rank 2 or more (weight matrices and embeddings) decay; biases and
 * LayerNorm gains do not, since shrinking them toward 0 only hurts.
 */
public final class AdamW {

    /** torch's default epsilon (not a flag: nanoGPT and GPT-2 keep it). */
    public static final double DEFAULT_EPS = 1e-8;

    private final Parameters parameters;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private long step;

    public AdamW(Parameters parameters, double beta1, double beta2, double eps, double weightDecay) {
        this.parameters = parameters;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (ParameterSpec s : parameters.specs()) {
            int n = parameters.data(s.name()).length;
            m.put(s.name(), new float[n]);
            v.put(s.name(), new float[n]);
        }
    }

    /** True for the tensors that weight decay applies to (nanoGPT's {@code p.dim() >= 2}). */
    public static boolean decays(ParameterSpec spec) {
        return spec.rank() >= 2;
    }

    /** Applies one update from the parameters' current gradients at learning rate {@code lr}. */
    public void step(double lr) {
        step++;
        double bc1 = 1 - StrictMath.pow(beta1, step);
        double bc2 = 1 - StrictMath.pow(beta2, step);
        for (ParameterSpec s : parameters.specs()) {
            String name = s.name();
            float[] p = parameters.data(name);
            OptimizerKernels.adamw(p, parameters.grad(name), m.get(name), v.get(name), p.length, lr, beta1, beta2,
                    eps, decays(s) ? weightDecay : 0, bc1, bc2);
        }
    }

    /** Updates taken so far (t in the bias corrections). */
    public long stepCount() {
        return step;
    }

    /** The first moment of a tensor (the live array: checkpoints read and restore it). */
    public float[] firstMoment(String name) {
        return require(m, name);
    }

    /** The second moment of a tensor (the live array). */
    public float[] secondMoment(String name) {
        return require(v, name);
    }

    /** Restores the step count after the moments were filled from a checkpoint. */
    public void setStepCount(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step count must be >= 0, got " + step);
        }
        this.step = step;
    }

    private static float[] require(Map<String, float[]> moments, String name) {
        float[] a = moments.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return a;
    }
}
