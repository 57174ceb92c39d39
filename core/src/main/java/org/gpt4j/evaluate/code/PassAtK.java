package org.gpt4j.evaluate.code;

/**
 * Codex's unbiased estimator of pass@k from n samples of which c pass:
 * {@code 1 - C(n - c, k) / C(n, k)}, computed as the paper's numerically stable product
 * {@code 1 - prod_{i = n-c+1}^{n} (1 - k / i)}, so that n = 200 needs no huge binomials.
 */
public final class PassAtK {

    private PassAtK() {
    }

    /**
     * The probability that at least one of k samples drawn without replacement from the n passes.
     *
     * @throws IllegalArgumentException unless 0 <= c <= n and 1 <= k <= n
     */
    public static double estimate(int n, int c, int k) {
        if (n < 1 || c < 0 || c > n) {
            throw new IllegalArgumentException("need 0 <= c <= n and n >= 1, got n = " + n + ", c = " + c);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("pass@" + k + " needs at least " + k + " samples per problem, got "
                    + n + (k < 1 ? " (k must be at least 1)" : ""));
        }
        if (n - c < k) {
            return 1.0;
        }
        double fail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            fail *= 1.0 - (double) k / i;
        }
        return 1.0 - fail;
    }
}
