package org.gpt4j.rl;

import java.util.List;

/**
 * One PPO batch of a language model: B prompts with R sampled tokens each, laid out for the
 * policy's forward as {@code [B, L]} sequences (prompt, response, then padding at the end, which
 * causal attention never lets an earlier position see), and the per-token arrays {@code [B, R]}
 * that PPO fills: old log-probabilities and values, the reference's log-probabilities, rewards,
 * advantages and returns. Token j of response i is chosen at position {@code p_i + j - 1}.
 */
final class LmRollout {

    final List<int[]> prompts;
    final int[][] responses;
    final int b;
    final int r;
    /** Sequence length of the layout: the longest prompt + R. */
    final int length;
    final float[] scores;
    final float[] oldLogp;
    final float[] oldValues;
    final float[] refLogp;
    final float[] rewards;
    final float[] advantages;
    final float[] returns;

    LmRollout(List<int[]> prompts, int[][] responses, float[] scores) {
        this.prompts = prompts;
        this.responses = responses;
        this.b = prompts.size();
        this.r = responses[0].length;
        int longest = 0;
        for (int[] p : prompts) {
            longest = Math.max(longest, p.length);
        }
        this.length = longest + r;
        this.scores = scores;
        int n = b * r;
        oldLogp = new float[n];
        oldValues = new float[n];
        refLogp = new float[n];
        rewards = new float[n];
        advantages = new float[n];
        returns = new float[n];
    }

    /** The rows {@code rows} (indices into the batch) as one forward's input. */
    Minibatch minibatch(int[] rows) {
        int m = rows.length;
        int[] tokens = new int[m * length];
        int[] positions = new int[m * r];
        int[] actions = new int[m * r];
        for (int k = 0; k < m; k++) {
            int i = rows[k];
            int[] p = prompts.get(i);
            System.arraycopy(p, 0, tokens, k * length, p.length);
            System.arraycopy(responses[i], 0, tokens, k * length + p.length, r);
            for (int j = 0; j < r; j++) {
                positions[k * r + j] = k * length + p.length + j - 1;
                actions[k * r + j] = responses[i][j];
            }
        }
        return new Minibatch(rows, tokens, m, positions, actions);
    }

    /** Copies {@code src}'s values of the minibatch's rows ({@code [m, R]}) out of a {@code [B, R]} array. */
    void gather(float[] dst, float[] src, int[] rows) {
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(src, rows[k] * r, dst, k * r, r);
        }
    }

    /** Writes a minibatch's {@code [m, R]} values back into a {@code [B, R]} array. */
    void scatter(float[] dst, float[] src, int[] rows) {
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(src, k * r, dst, rows[k] * r, r);
        }
    }

    /** One forward's input: m sequences of the rollout's length, and the positions and tokens PPO reads. */
    record Minibatch(int[] rows, int[] tokens, int m, int[] positions, int[] actions) {
    }
}
