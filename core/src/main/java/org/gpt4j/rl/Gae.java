package org.gpt4j.rl;

/**
 * Generalised advantage estimation (Schulman et al. 2016) over a rollout of T steps of N parallel
 * environments, laid out {@code [T, N]} (step-major), as CleanRL's ppo.py computes it:
 * <pre>
 *   delta_t = r_t + gamma V(s_{t+1}) (1 - done_{t+1}) - V(s_t)
 *   A_t     = delta_t + gamma lambda (1 - done_{t+1}) A_{t+1}
 *   R_t     = A_t + V(s_t)          (the value target)
 * </pre>
 * {@code dones[t]} says the observation of step t began a new episode (the previous step ended
 * one), so nothing flows back across an episode's end; step T's observation and done flag are
 * the ones after the rollout ({@code nextValues}, {@code nextDones}). The arithmetic is float32 in
 * torch's order, so the result matches CleanRL's tensors.
 *
 * <p>CleanRL treats a truncation (the time limit) like a termination. To bootstrap it instead,
 * add gamma V(final observation) to that step's reward first: {@link #bootstrapTruncated}.
 */
public final class Gae {

    private Gae() {
    }

    /**
     * Writes the advantages and returns {@code [T, N]}.
     *
     * @param dones 1 where the observation of step t started a new episode, else 0
     */
    public static void compute(float[] advantages, float[] returns, float[] rewards, float[] values, float[] dones,
            float[] nextValues, float[] nextDones, int steps, int envs, double gamma, double lambda) {
        int n = steps * envs;
        for (float[] a : new float[][] {advantages, returns, rewards, values, dones}) {
            if (a.length < n) {
                throw new IllegalArgumentException("a rollout array has " + a.length + " values, expected " + n
                        + " (" + steps + " steps x " + envs + " environments)");
            }
        }
        float g = (float) gamma;
        float gl = (float) (gamma * lambda);
        for (int e = 0; e < envs; e++) {
            float last = 0f;
            for (int t = steps - 1; t >= 0; t--) {
                float nextNonTerminal;
                float nextValue;
                if (t == steps - 1) {
                    nextNonTerminal = 1f - nextDones[e];
                    nextValue = nextValues[e];
                } else {
                    nextNonTerminal = 1f - dones[(t + 1) * envs + e];
                    nextValue = values[(t + 1) * envs + e];
                }
                int i = t * envs + e;
                float delta = rewards[i] + g * nextValue * nextNonTerminal - values[i];
                last = delta + gl * nextNonTerminal * last;
                advantages[i] = last;
            }
        }
        for (int i = 0; i < n; i++) {
            returns[i] = advantages[i] + values[i];
        }
    }

    /**
     * r_t += gamma V(s_final) where step t was truncated, so that a time limit does not look like
     * a failure to the critic (the partial-episode bootstrapping of Pardo et al. 2018).
     *
     * @param finalValues V of the last observation of each truncated episode, {@code [T, N]} (read
     *                    only where {@code truncated} is set)
     */
    public static void bootstrapTruncated(float[] rewards, boolean[] truncated, float[] finalValues, int n,
            double gamma) {
        float g = (float) gamma;
        for (int i = 0; i < n; i++) {
            if (truncated[i]) {
                rewards[i] += g * finalValues[i];
            }
        }
    }
}
