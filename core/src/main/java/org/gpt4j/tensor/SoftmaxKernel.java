package org.gpt4j.tensor;

/**
 * Softmax, log-softmax and argmax over one row of scores (a vocabulary's logits). Scores of
 * {@code -inf} (tokens a filter removed) get probability 0. Sums run in double: the sampler
 * walks the cumulative distribution over 50k entries and must not lose the tail.
 */
public final class SoftmaxKernel {

    private SoftmaxKernel() {
    }

    /** out[i] = exp(x[off+i] - max) / sum over n scores; returns the log of the normaliser. */
    public static double softmax(double[] out, float[] x, int off, int n) {
        float max = max(x, off, n);
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every score is -inf: no token can be chosen");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = StrictMath.exp((double) x[off + i] - max);
            out[i] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int i = 0; i < n; i++) {
            out[i] *= inv;
        }
        return max + StrictMath.log(sum);
    }

    /** log(sum exp x) over n scores, computed without overflow. */
    public static double logSumExp(float[] x, int off, int n) {
        float max = max(x, off, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += StrictMath.exp((double) x[off + i] - max);
        }
        return max + StrictMath.log(sum);
    }

    /** out[i] = x[off+i] - log(sum exp x) over n scores (out may be x when off is 0). */
    public static void logSoftmax(float[] out, float[] x, int off, int n) {
        double logZ = logSumExp(x, off, n);
        for (int i = 0; i < n; i++) {
            out[i] = (float) (x[off + i] - logZ);
        }
    }

    /** Index of the largest of n scores; the first one on ties (as torch.argmax). */
    public static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[off + i] > x[off + best]) {
                best = i;
            }
        }
        return best;
    }

    /** The largest of n scores. */
    public static float max(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        return max;
    }
}
