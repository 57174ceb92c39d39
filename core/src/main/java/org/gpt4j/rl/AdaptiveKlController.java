package org.gpt4j.rl;

/**
 * The KL coefficient beta of the per-token penalty -beta (log pi - log pi_ref), adapted towards a
 * target KL as Ziegler et al. (2019) and TRL's {@code AdaptiveKLController} do:
 * <pre>
 *   e     = clip(KL / target - 1, -0.2, 0.2)
 *   beta *= 1 + e n / horizon            (n: responses in the batch just seen)
 * </pre>
 * With a NaN target beta stays fixed (TRL's {@code FixedKLController}).
 */
public final class AdaptiveKlController {

    private final double target;
    private final double horizon;
    private double value;

    public AdaptiveKlController(double initial, double target, double horizon) {
        if (!(initial >= 0)) {
            throw new IllegalArgumentException("the KL coefficient must be >= 0, got " + initial);
        }
        if (!Double.isNaN(target) && !(target > 0)) {
            throw new IllegalArgumentException("the target KL must be > 0 (or none), got " + target);
        }
        if (!(horizon > 0)) {
            throw new IllegalArgumentException("the KL horizon must be > 0, got " + horizon);
        }
        this.value = initial;
        this.target = target;
        this.horizon = horizon;
    }

    /** The current beta. */
    public double value() {
        return value;
    }

    /** Moves beta after a batch of {@code n} responses whose mean summed KL was {@code kl}. */
    public void update(double kl, int n) {
        if (Double.isNaN(target)) {
            return;
        }
        double error = Math.min(Math.max(kl / target - 1, -0.2), 0.2);
        value *= 1 + error * n / horizon;
    }
}
