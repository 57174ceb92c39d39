package org.gpt4j.train;

import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.OptimizerKernels;

/**
 * Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_: when the L2 norm of all
 * gradients together exceeds the limit, every gradient is scaled by {@code limit / (norm + 1e-6)},
 * so one bad batch cannot throw the weights far while the update's direction is kept.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** The L2 norm over every parameter's gradient. */
    public static double globalNorm(Parameters parameters) {
        double sum = 0;
        for (ParameterSpec s : parameters.specs()) {
            float[] g = parameters.grad(s.name());
            sum += OptimizerKernels.sumOfSquares(g, g.length);
        }
        return Math.sqrt(sum);
    }

    /**
     * As {@link #clip(Parameters, double)} over several parameter sets taken as one (a model and
     * the head trained with it): one global norm, one scale for all.
     */
    public static double clip(double maxNorm, Parameters... sets) {
        double sum = 0;
        for (Parameters p : sets) {
            double n = globalNorm(p);
            sum += n * n;
        }
        double norm = Math.sqrt(sum);
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                for (Parameters p : sets) {
                    for (ParameterSpec s : p.specs()) {
                        float[] g = p.grad(s.name());
                        OptimizerKernels.scale(g, (float) coef, g.length);
                    }
                }
            }
        }
        return norm;
    }

    /**
     * Scales the gradients so their global norm is at most {@code maxNorm} (0 or less: no clipping).
     *
     * @return the norm before clipping (NaN or infinite when a gradient is)
     */
    public static double clip(Parameters parameters, double maxNorm) {
        double norm = globalNorm(parameters);
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                for (ParameterSpec s : parameters.specs()) {
                    float[] g = parameters.grad(s.name());
                    OptimizerKernels.scale(g, (float) coef, g.length);
                }
            }
        }
        return norm;
    }
}
