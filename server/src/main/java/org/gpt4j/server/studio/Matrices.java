package org.gpt4j.server.studio;

/**
 * Cutting tensors down to what a browser draws: sub-matrices, pooled thumbnails, rounding (a
 * heatmap needs no ninth digit, and shorter numbers make smaller, faster JSON).
 */
final class Matrices {

    private Matrices() {
    }

    /** Rounds to {@code decimals} places (as a float, which prints without noise digits). */
    static float round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return (float) (Math.rint(v * scale) / scale);
    }

    /** A probability to {@code digits} significant digits: small ones keep their size, not just zeros. */
    static double significant(double v, int digits) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(digits)).doubleValue();
    }

    /** The top-left {@code rows x cols} block of a row-major matrix with {@code stride} columns. */
    static float[][] block(float[] m, int offset, int stride, int rows, int cols, int decimals) {
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = round(m[offset + r * stride + c], decimals);
            }
        }
        return out;
    }

    /**
     * An {@code n x n} matrix max-pooled to at most {@code size x size} cells: a thumbnail in
     * which a sharp pattern (a diagonal, one attended column) stays visible.
     */
    static float[][] maxPool(float[] m, int offset, int n, int size, int decimals) {
        int s = Math.min(n, size);
        float[][] out = new float[s][s];
        for (int r = 0; r < s; r++) {
            int r0 = r * n / s;
            int r1 = (r + 1) * n / s;
            for (int c = 0; c < s; c++) {
                int c0 = c * n / s;
                int c1 = (c + 1) * n / s;
                float max = 0;
                for (int i = r0; i < r1; i++) {
                    for (int j = c0; j < c1; j++) {
                        max = Math.max(max, m[offset + i * n + j]);
                    }
                }
                out[r][c] = round(max, decimals);
            }
        }
        return out;
    }
}
