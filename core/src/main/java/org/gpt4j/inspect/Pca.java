package org.gpt4j.inspect;

/**
 * Principal component analysis of n points in d dimensions: the k directions of largest variance
 * and each point's coordinates along them. Exact (a Jacobi eigen-decomposition of the smaller of
 * the d x d covariance and the n x n Gram matrix), so it is deterministic and needs no seed.
 *
 * @param coordinates            {@code [n, k]} row-major: point i along component j
 * @param components             {@code [k, d]} unit directions, largest variance first; each
 *                               flipped so that its largest-magnitude entry is positive
 * @param explainedVarianceRatio per component, its share of the total variance (0 when the
 *                               points do not vary)
 */
public record Pca(int n, int k, double[] coordinates, double[] components, double[] explainedVarianceRatio) {

    /** Projects rows {@code [n, d]} of {@code x} (from {@code offset}) onto their top k components. */
    public static Pca fit(float[] x, int offset, int n, int d, int k) {
        if (n <= 0 || d <= 0 || k <= 0) {
            throw new IllegalArgumentException("PCA needs n, d, k > 0, got n=" + n + ", d=" + d + ", k=" + k);
        }
        if (k > d) {
            throw new IllegalArgumentException("cannot take " + k + " components of " + d + "-dimensional points");
        }
        double[] centred = centre(x, offset, n, d);
        double total = 0;
        for (double v : centred) {
            total += v * v;
        }
        boolean gram = n <= d;
        int m = gram ? n : d;
        double[] s = gram ? gram(centred, n, d) : scatter(centred, n, d);
        double[] vectors = new double[m * m];
        double[] values = SymmetricEigen.decompose(s, vectors, m);
        double[] components = new double[k * d];
        double[] ratio = new double[k];
        for (int j = 0; j < k && j < m; j++) {
            double lambda = Math.max(values[j], 0);
            ratio[j] = total > 0 ? lambda / total : 0;
            if (gram) {
                // v = X^T u / sqrt(lambda) turns a Gram eigenvector into a direction in d-space.
                if (lambda > 1e-12 * Math.max(total, 1e-300)) {
                    for (int i = 0; i < n; i++) {
                        double u = vectors[i * m + j];
                        for (int c = 0; c < d; c++) {
                            components[j * d + c] += centred[i * d + c] * u;
                        }
                    }
                    normalise(components, j * d, d);
                }
            } else {
                for (int c = 0; c < d; c++) {
                    components[j * d + c] = vectors[c * m + j];
                }
            }
            flipSign(components, j * d, d);
        }
        double[] coords = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += centred[i * d + c] * components[j * d + c];
                }
                coords[i * k + j] = dot;
            }
        }
        return new Pca(n, k, coords, components, ratio);
    }

    private static double[] centre(float[] x, int offset, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += x[offset + i * d + c];
            }
        }
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                out[i * d + c] = x[offset + i * d + c] - mean[c] / n;
            }
        }
        return out;
    }

    /** X X^T, n x n. */
    private static double[] gram(double[] x, int n, int d) {
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += x[i * d + c] * x[j * d + c];
                }
                g[i * n + j] = dot;
                g[j * n + i] = dot;
            }
        }
        return g;
    }

    /** X^T X, d x d (the covariance times n - 1; the ratios do not need the factor). */
    private static double[] scatter(double[] x, int n, int d) {
        double[] s = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double xa = x[i * d + a];
                for (int b = 0; b <= a; b++) {
                    s[a * d + b] += xa * x[i * d + b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                s[b * d + a] = s[a * d + b];
            }
        }
        return s;
    }

    private static void normalise(double[] v, int o, int d) {
        double norm = 0;
        for (int c = 0; c < d; c++) {
            norm += v[o + c] * v[o + c];
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int c = 0; c < d; c++) {
                v[o + c] /= norm;
            }
        }
    }

    private static void flipSign(double[] v, int o, int d) {
        int arg = 0;
        for (int c = 1; c < d; c++) {
            if (Math.abs(v[o + c]) > Math.abs(v[o + arg])) {
                arg = c;
            }
        }
        if (v[o + arg] < 0) {
            for (int c = 0; c < d; c++) {
                v[o + c] = -v[o + c];
            }
        }
    }
}
