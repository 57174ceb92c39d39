package org.gpt4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernels PPO's networks add: tanh and its backward against StrictMath and the derivative
 * 1 - tanh^2, over lengths with and without a vector tail; the categorical entropy and its
 * gradient against finite differences on a vocabulary-sized row.
 */
class RlKernelsTest {

    @Test
    void tanhMatchesStrictMathAndItsBackwardIsOneMinusTheSquare() {
        for (int n : new int[] {1, 7, 64, 1027, 5000}) {
            SplittableRandom rng = new SplittableRandom(n);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (rng.nextGaussian() * 3);
            }
            x[0] = 30f;
            float[] y = new float[n];
            ActivationKernels.tanhForward(y, x, n);
            float[] dy = new float[n];
            float[] dx = new float[n];
            for (int i = 0; i < n; i++) {
                dy[i] = (float) rng.nextGaussian();
                dx[i] = 0.5f;
            }
            ActivationKernels.tanhBackward(dx, dy, y, n);
            for (int i = 0; i < n; i++) {
                double t = StrictMath.tanh(x[i]);
                assertThat((double) y[i]).as("tanh(%f)", x[i]).isCloseTo(t, within(3e-7));
                assertThat((double) dx[i]).isCloseTo(0.5 + dy[i] * (1 - t * t), within(1e-6));
            }
        }
    }

    @Test
    void categoricalGradientMatchesFiniteDifferences() {
        int n = 300;
        SplittableRandom rng = new SplittableRandom(9);
        float[] z = new float[2 * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        int[] actions = {17, 250};
        float[] gLogp = {0.7f, -1.3f};
        float[] gEntropy = {-0.4f, 0.9f};
        float[] logp = new float[2 * n];
        float[] h = new float[2];
        CategoricalKernels.forward(logp, h, z, 2, n);
        float[] dz = new float[2 * n];
        CategoricalKernels.backward(dz, logp, h, actions, gLogp, gEntropy, 2, n);
        for (int r = 0; r < 2; r++) {
            for (int j : new int[] {0, actions[r], 99, n - 1}) {
                double eps = 1e-3;
                double plus = objective(z, r, j, eps, n, actions[r], gLogp[r], gEntropy[r]);
                double minus = objective(z, r, j, -eps, n, actions[r], gLogp[r], gEntropy[r]);
                assertThat((double) dz[r * n + j]).as("row %d logit %d", r, j).isCloseTo((plus - minus) / (2 * eps), within(2e-5));
            }
        }
    }

    /** gLogp log p_a + gEntropy H of row r, in double, with logit j moved by d. */
    private static double objective(float[] z, int r, int j, double d, int n, int a, double gLogp, double gEntropy) {
        double[] x = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[i] = z[r * n + i] + (i == j ? d : 0);
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        double logZ = max + Math.log(sum);
        double entropy = 0;
        for (double v : x) {
            entropy -= Math.exp(v - logZ) * (v - logZ);
        }
        return gLogp * (x[a] - logZ) + gEntropy * entropy;
    }
}
