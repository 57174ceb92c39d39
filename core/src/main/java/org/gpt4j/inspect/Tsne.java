package org.gpt4j.inspect;

import java.util.SplittableRandom;

/**
 * Exact t-SNE (van der Maaten and Hinton, 2008) to two dimensions: Gaussian affinities with a
 * per-point bandwidth found by binary search on the perplexity, Student-t affinities in the map,
 * gradient descent with momentum, per-coordinate gains and early exaggeration (as sklearn's
 * exact method). O(n^2) a step: meant for the few hundred points of one input, not a vocabulary.
 * The same points, options and seed give the same map.
 */
public final class Tsne {

    /**
     * @param perplexity  the effective number of neighbours (clamped to (n - 1) / 3 for few points)
     * @param iterations  gradient steps; the first quarter (at most 250) exaggerates P by 12
     * @param seed        seeds the initial map
     */
    public record Options(double perplexity, int iterations, long seed) {

        public Options {
            if (!(perplexity > 0) || Double.isInfinite(perplexity)) {
                throw new IllegalArgumentException("perplexity must be a positive number, got " + perplexity);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            }
        }

        public static Options defaults(long seed) {
            return new Options(30, 500, seed);
        }
    }

    private static final double EXAGGERATION = 12;
    private static final double MIN_GAIN = 0.01;

    private Tsne() {
    }

    /** Maps rows {@code [n, d]} of {@code x} (from {@code offset}) to {@code [n, 2]} coordinates. */
    public static double[] embed(float[] x, int offset, int n, int d, Options options) {
        if (n <= 0 || d <= 0) {
            throw new IllegalArgumentException("t-SNE needs n, d > 0, got n=" + n + ", d=" + d);
        }
        double[] y = new double[2 * n];
        if (n == 1) {
            return y;
        }
        double[] p = jointProbabilities(squaredDistances(x, offset, n, d), n,
                Math.max(1, Math.min(options.perplexity(), (n - 1) / 3.0)));
        SplittableRandom rng = new SplittableRandom(options.seed());
        for (int i = 0; i < y.length; i++) {
            y[i] = 1e-4 * rng.nextGaussian();
        }
        double[] velocity = new double[2 * n];
        double[] gains = new double[2 * n];
        java.util.Arrays.fill(gains, 1);
        double[] grad = new double[2 * n];
        double[] q = new double[n * n];
        double learningRate = Math.max(n / EXAGGERATION / 4, 50);
        int exaggerated = Math.min(250, options.iterations() / 4);
        for (int it = 0; it < options.iterations(); it++) {
            double exaggeration = it < exaggerated ? EXAGGERATION : 1;
            double momentum = it < exaggerated ? 0.5 : 0.8;
            gradient(grad, y, p, q, n, exaggeration);
            for (int i = 0; i < 2 * n; i++) {
                // Delta-bar-delta gains: grow a step that keeps its direction, shrink one that flips.
                gains[i] = Math.signum(grad[i]) != Math.signum(velocity[i]) ? gains[i] + 0.2 : Math.max(gains[i] * 0.8, MIN_GAIN);
                velocity[i] = momentum * velocity[i] - learningRate * gains[i] * grad[i];
                y[i] += velocity[i];
            }
            centre(y, n);
        }
        return y;
    }

    private static double[] squaredDistances(float[] x, int offset, int n, int d) {
        double[] dist = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = (double) x[offset + i * d + c] - x[offset + j * d + c];
                    s += diff * diff;
                }
                dist[i * n + j] = s;
                dist[j * n + i] = s;
            }
        }
        return dist;
    }

    /** P = (P_j|i + P_i|j) / 2n, each conditional row matched to the perplexity. */
    private static double[] jointProbabilities(double[] dist, int n, double perplexity) {
        double[] cond = new double[n * n];
        double target = StrictMath.log(perplexity);
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            double beta = 1;
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            // Scale-free start: distances relative to the row's mean keep beta near 1.
            double meanDist = 0;
            for (int j = 0; j < n; j++) {
                meanDist += dist[i * n + j];
            }
            meanDist = Math.max(meanDist / (n - 1), 1e-12);
            for (int step = 0; step < 100; step++) {
                double entropy = conditionalRow(row, dist, i, n, beta / meanDist);
                if (Math.abs(entropy - target) < 1e-5) {
                    break;
                }
                if (entropy > target) {
                    lo = beta;
                    beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
                } else {
                    hi = beta;
                    beta = (beta + lo) / 2;
                }
            }
            System.arraycopy(row, 0, cond, i * n, n);
        }
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = Math.max((cond[i * n + j] + cond[j * n + i]) / (2.0 * n), 1e-12);
            }
        }
        return p;
    }

    /** Fills row with P_j|i for precision beta and returns its entropy (nats). */
    private static double conditionalRow(double[] row, double[] dist, int i, int n, double beta) {
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                min = Math.min(min, dist[i * n + j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            // Shifting by the nearest distance avoids underflow to an all-zero row.
            row[j] = j == i ? 0 : StrictMath.exp(-beta * (dist[i * n + j] - min));
            sum += row[j];
        }
        double entropy = 0;
        for (int j = 0; j < n; j++) {
            row[j] /= sum;
            if (row[j] > 0) {
                entropy -= row[j] * StrictMath.log(row[j]);
            }
        }
        return entropy;
    }

    /** dC/dy_i = 4 sum_j (ex * p_ij - q_ij) (y_i - y_j) / (1 + |y_i - y_j|^2). */
    private static void gradient(double[] grad, double[] y, double[] p, double[] num, int n, double exaggeration) {
        double z = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = y[2 * i] - y[2 * j];
                double dy = y[2 * i + 1] - y[2 * j + 1];
                double t = 1 / (1 + dx * dx + dy * dy);
                num[i * n + j] = t;
                num[j * n + i] = t;
                z += 2 * t;
            }
        }
        java.util.Arrays.fill(grad, 0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double t = num[i * n + j];
                double m = 4 * (exaggeration * p[i * n + j] - t / z) * t;
                grad[2 * i] += m * (y[2 * i] - y[2 * j]);
                grad[2 * i + 1] += m * (y[2 * i + 1] - y[2 * j + 1]);
            }
        }
    }

    private static void centre(double[] y, int n) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += y[2 * i];
            my += y[2 * i + 1];
        }
        for (int i = 0; i < n; i++) {
            y[2 * i] -= mx / n;
            y[2 * i + 1] -= my / n;
        }
    }
}
