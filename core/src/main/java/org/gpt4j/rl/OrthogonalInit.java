package org.gpt4j.rl;

import java.util.random.RandomGenerator;

/**
 * torch.nn.init.orthogonal_ (Saxe et al. 2014) for a Linear weight, the initialisation PPO
 * implementations use: a Gaussian matrix {@code [out, in]} (transposed when it is wide) is
 * orthonormalised (QR with the signs of R's diagonal made positive, which modified Gram-Schmidt
 * gives directly), then scaled by a gain. The rows (or columns, whichever are fewer) of the
 * result are orthonormal times the gain. Written into gpt4j's Conv1D layout {@code [in, out]}.
 * Runs once per layer at start-up, in double precision.
 */
final class OrthogonalInit {

    private OrthogonalInit() {
    }

    /** Fills {@code w [in, out]} with gain times an orthogonal matrix (torch's for {@code [out, in]}, transposed). */
    static void fill(float[] w, int in, int out, double gain, RandomGenerator rng) {
        // torch flattens the weight to [rows = out, cols = in] and works on the tall orientation.
        boolean wide = out < in;
        int m = wide ? in : out;
        int k = wide ? out : in;
        double[][] q = new double[k][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                q[j][i] = rng.nextGaussian();
            }
        }
        for (int j = 0; j < k; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += q[p][i] * q[j][i];
                }
                for (int i = 0; i < m; i++) {
                    q[j][i] -= dot * q[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                q[j][i] /= norm;
            }
        }
        // q[j] is column j of the tall m x k matrix Q. Torch's weight W[o][c] is Q[o][c] when tall,
        // Q[c][o] when wide; ours is stored w[c * out + o].
        for (int c = 0; c < in; c++) {
            for (int o = 0; o < out; o++) {
                double v = wide ? q[o][c] : q[c][o];
                w[c * out + o] = (float) (gain * v);
            }
        }
    }
}
