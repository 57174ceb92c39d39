package org.gpt4j.tensor;

/**
 * A categorical distribution per row of logits {@code [rows, n]}, as a policy gradient needs it
 * (torch.distributions.Categorical): the log-probabilities, the entropy of each row, and the
 * gradient of a loss that reads the log-probability of one chosen action and the entropy.
 * {@code n} is 2 for CartPole's actions and a vocabulary for a language model's tokens.
 *
 * <p>With p = softmax(z), log p_j = z_j - logsumexp(z) and H = -sum_j p_j log p_j:
 * d log p_a / dz_j = [j = a] - p_j and dH / dz_j = -p_j (log p_j + H).
 */
public final class CategoricalKernels {

    private CategoricalKernels() {
    }

    /** logp[r, j] = z[r, j] - logsumexp(z[r, :]), and entropy[r] = -sum_j p[r, j] logp[r, j]. */
    public static void forward(float[] logp, float[] entropy, float[] logits, int rows, int n) {
        Parallel.forRange(rows, 4L * n, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * n;
                double logZ = SoftmaxKernel.logSumExp(logits, o, n);
                double h = 0;
                for (int j = 0; j < n; j++) {
                    float lp = (float) (logits[o + j] - logZ);
                    logp[o + j] = lp;
                    h -= StrictMath.exp(lp) * lp;
                }
                entropy[r] = (float) h;
            }
        });
    }

    /**
     * dlogits[r, :] = gLogp[r] (onehot(action[r]) - p[r, :]) - gEntropy[r] p[r, :] (logp[r, :] + H[r]):
     * the gradient of a loss whose derivatives with respect to each row's chosen log-probability and
     * entropy are {@code gLogp} and {@code gEntropy}. Overwrites dlogits.
     */
    public static void backward(float[] dlogits, float[] logp, float[] entropy, int[] actions, float[] gLogp,
            float[] gEntropy, int rows, int n) {
        Parallel.forRange(rows, 4L * n, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * n;
                double ga = gLogp[r];
                double gh = gEntropy[r];
                double h = entropy[r];
                int a = actions[r];
                for (int j = 0; j < n; j++) {
                    double lp = logp[o + j];
                    double p = StrictMath.exp(lp);
                    dlogits[o + j] = (float) ((j == a ? ga : 0) - ga * p - gh * p * (lp + h));
                }
            }
        });
    }
}
