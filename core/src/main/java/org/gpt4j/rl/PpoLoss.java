package org.gpt4j.rl;

/**
 * The PPO objective on one minibatch (Schulman et al. 2017; CleanRL's ppo.py), with its gradient
 * with respect to the three things the networks produce: each row's new log-probability of its
 * action, its new value, and its policy entropy.
 * <pre>
 *   ratio    = exp(logp_new - logp_old)
 *   A        = (A - mean A) / (std A + 1e-8)                      (per minibatch, unbiased std)
 *   L_pg     = mean max(-A ratio, -A clip(ratio, 1 - eps, 1 + eps))
 *   L_v      = 0.5 mean max((v - R)^2, (v_old + clip(v - v_old, -eps, eps) - R)^2)   (or 0.5 mean (v - R)^2)
 *   L        = L_pg - c_ent mean H + c_v L_v
 * </pre>
 * Diagnostics as CleanRL logs them: old_approx_kl = mean(-log ratio), approx_kl =
 * mean((ratio - 1) - log ratio) (Schulman's low-variance estimator), and the fraction of rows with
 * |ratio - 1| > eps. Where the two arguments of a max are equal the gradient is split between
 * them, and a clamp passes the gradient at its bounds, as torch's autograd does, so the gradients
 * match PyTorch's exactly in kind (see ppo_reference.py). Language-model PPO reuses this per token.
 */
public final class PpoLoss {

    /** The objective's coefficients. */
    public record Coefficients(double clip, double valueCoef, double entropyCoef, boolean normalizeAdvantages,
            boolean clipValueLoss) {

        public Coefficients {
            if (!(clip > 0)) {
                throw new IllegalArgumentException("clip coefficient must be > 0, got " + clip);
            }
            if (!(valueCoef >= 0) || !(entropyCoef >= 0)) {
                throw new IllegalArgumentException("value and entropy coefficients must be >= 0, got " + valueCoef
                        + " and " + entropyCoef);
            }
        }

        /** CleanRL's defaults: clip 0.2, value 0.5, entropy 0.01, normalised advantages, clipped value loss. */
        public static Coefficients cleanRl() {
            return new Coefficients(0.2, 0.5, 0.01, true, true);
        }
    }

    /** The loss and its parts over one minibatch. */
    public record Result(double loss, double policyLoss, double valueLoss, double entropy, double oldApproxKl,
            double approxKl, double clipFraction) {
    }

    private PpoLoss() {
    }

    /**
     * Computes the loss over {@code rows} rows and writes dL/dlogp_new, dL/dv_new and dL/dH per row
     * into {@code gLogp}, {@code gValue} and {@code gEntropy}.
     */
    public static Result compute(Coefficients c, float[] newLogp, float[] oldLogp, float[] advantages, float[] newValues,
            float[] oldValues, float[] returns, float[] entropy, int rows, float[] gLogp, float[] gValue,
            float[] gEntropy) {
        if (rows < 1 || (c.normalizeAdvantages() && rows < 2)) {
            throw new IllegalArgumentException("a PPO minibatch needs " + (c.normalizeAdvantages() ? 2 : 1)
                    + " or more rows, got " + rows);
        }
        double mean = 0;
        double std = 1;
        double shift = 0;
        if (c.normalizeAdvantages()) {
            for (int i = 0; i < rows; i++) {
                mean += advantages[i];
            }
            mean /= rows;
            double ss = 0;
            for (int i = 0; i < rows; i++) {
                double d = advantages[i] - mean;
                ss += d * d;
            }
            std = Math.sqrt(ss / (rows - 1)) + 1e-8;
            shift = mean;
        }
        double eps = c.clip();
        double lo = 1 - eps;
        double hi = 1 + eps;
        double pg = 0;
        double vl = 0;
        double ent = 0;
        double oldKl = 0;
        double kl = 0;
        int clipped = 0;
        for (int i = 0; i < rows; i++) {
            double logRatio = (double) newLogp[i] - oldLogp[i];
            double ratio = StrictMath.exp(logRatio);
            oldKl += -logRatio;
            kl += (ratio - 1) - logRatio;
            if (Math.abs(ratio - 1) > eps) {
                clipped++;
            }
            double a = (advantages[i] - shift) / std;
            double clampedRatio = Math.min(Math.max(ratio, lo), hi);
            double l1 = -a * ratio;
            double l2 = -a * clampedRatio;
            pg += Math.max(l1, l2);
            double inRange = ratio >= lo && ratio <= hi ? 1 : 0;
            double dRatio = l1 > l2 ? -a : l1 < l2 ? -a * inRange : 0.5 * (-a) + 0.5 * (-a * inRange);
            gLogp[i] = (float) (dRatio * ratio / rows);

            double v = newValues[i];
            double target = returns[i];
            double dv;
            if (c.clipValueLoss()) {
                double diff = v - oldValues[i];
                double clippedDiff = Math.min(Math.max(diff, -eps), eps);
                double vClipped = oldValues[i] + clippedDiff;
                double u = (v - target) * (v - target);
                double w = (vClipped - target) * (vClipped - target);
                vl += Math.max(u, w);
                double du = 2 * (v - target);
                double dw = 2 * (vClipped - target) * (diff >= -eps && diff <= eps ? 1 : 0);
                dv = u > w ? du : u < w ? dw : 0.5 * du + 0.5 * dw;
            } else {
                vl += (v - target) * (v - target);
                dv = 2 * (v - target);
            }
            gValue[i] = (float) (c.valueCoef() * 0.5 * dv / rows);
            ent += entropy[i];
            gEntropy[i] = (float) (-c.entropyCoef() / rows);
        }
        pg /= rows;
        vl = 0.5 * vl / rows;
        ent /= rows;
        double loss = pg - c.entropyCoef() * ent + c.valueCoef() * vl;
        return new Result(loss, pg, vl, ent, oldKl / rows, kl / rows, (double) clipped / rows);
    }
}
