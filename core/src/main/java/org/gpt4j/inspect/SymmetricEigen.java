package org.gpt4j.inspect;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations: slow for
 * large m (O(m^3) a sweep) but exact, stable and dependency-free, which is what a projection of a
 * few hundred points needs.
 */
final class SymmetricEigen {

    private static final int MAX_SWEEPS = 60;

    private SymmetricEigen() {
    }

    /**
     * Decomposes the m x m symmetric {@code a} (destroyed). Returns the eigenvalues in descending
     * order; column j of {@code vectors} ([m, m] row-major) is the unit eigenvector of value j.
     */
    static double[] decompose(double[] a, double[] vectors, int m) {
        double[] v = new double[m * m];
        for (int i = 0; i < m; i++) {
            v[i * m + i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < m; p++) {
                diag += a[p * m + p] * a[p * m + p];
                for (int q = p + 1; q < m; q++) {
                    off += a[p * m + q] * a[p * m + q];
                }
            }
            if (off <= 1e-26 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < m; p++) {
                for (int q = p + 1; q < m; q++) {
                    rotate(a, v, m, p, q);
                }
            }
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y * m + y], a[x * m + x]));
        double[] values = new double[m];
        for (int j = 0; j < m; j++) {
            int src = order[j];
            values[j] = a[src * m + src];
            for (int i = 0; i < m; i++) {
                vectors[i * m + j] = v[i * m + src];
            }
        }
        return values;
    }

    /** One rotation in the (p, q) plane that zeroes a[p, q] (Golub and Van Loan, 8.4). */
    private static void rotate(double[] a, double[] v, int m, int p, int q) {
        double apq = a[p * m + q];
        if (apq == 0) {
            return;
        }
        double theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < m; k++) {
            double akp = a[k * m + p];
            double akq = a[k * m + q];
            a[k * m + p] = c * akp - s * akq;
            a[k * m + q] = s * akp + c * akq;
        }
        for (int k = 0; k < m; k++) {
            double apk = a[p * m + k];
            double aqk = a[q * m + k];
            a[p * m + k] = c * apk - s * aqk;
            a[q * m + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < m; k++) {
            double vkp = v[k * m + p];
            double vkq = v[k * m + q];
            v[k * m + p] = c * vkp - s * vkq;
            v[k * m + q] = s * vkp + c * vkq;
        }
    }
}
