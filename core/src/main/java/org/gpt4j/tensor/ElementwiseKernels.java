package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise loops of the residual stream: adds, copies, dropout masks, and sums over groups of rows. */
public final class ElementwiseKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * Values per parallel chunk of the passes over whole activations. Those passes are bound by
     * memory, and one core streams less than two (on Zen 5 here, 20 against 30-38 GB/s read): the
     * zeroing, copying and adding of a 6 / 6 / 384 step's activation buffers (B 12 x T 256: 4.7 MB
     * each, 19 MB for the feed-forward's), some 75 MB per layer's backward, ran on one thread.
     */
    private static final int CHUNK = 1 << 14;

    private ElementwiseKernels() {
    }

    /** out = a + b over n values (out may alias a or b). */
    public static void add(float[] out, float[] a, float[] b, int n) {
        inChunks(n, (from, end) -> {
            int i = from;
            for (int bound = i + S.loopBound(end - i); i < bound; i += S.length()) {
                FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(out, i);
            }
            for (; i < end; i++) {
                out[i] = a[i] + b[i];
            }
        });
    }

    /** x[0, n) = 0. */
    public static void zero(float[] x, int n) {
        inChunks(n, (from, end) -> java.util.Arrays.fill(x, from, end, 0f));
    }

    /** dst[0, n) = src[0, n). */
    public static void copy(float[] dst, float[] src, int n) {
        inChunks(n, (from, end) -> System.arraycopy(src, from, dst, from, end - from));
    }

    /** {@code body} over [0, n) in parallel chunks of whole {@link #CHUNK}s (the last one shorter). */
    private static void inChunks(int n, Parallel.RangeBody body) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, CHUNK, (c0, c1) -> body.run(c0 * CHUNK, Math.min(n, c1 * CHUNK)));
    }

    /** y += x over n values. */
    public static void accumulate(float[] y, float[] x, int n) {
        add(y, y, x, n);
    }

    /**
     * The sum of each group of {@code size} consecutive rows: out[g, :] = x[g size, :] + ... +
     * x[g size + size - 1, :], for x {@code [groups * size, width]} and out {@code [groups, width]},
     * added in row order.
     */
    public static void sumGroups(float[] out, float[] x, int groups, int size, int width) {
        int bound = S.loopBound(width);
        for (int g = 0; g < groups; g++) {
            int o = g * width;
            int first = g * size * width;
            System.arraycopy(x, first, out, o, width);
            for (int k = 1; k < size; k++) {
                int r = first + k * width;
                int i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, out, o + i).add(FloatVector.fromArray(S, x, r + i)).intoArray(out, o + i);
                }
                for (; i < width; i++) {
                    out[o + i] += x[r + i];
                }
            }
        }
    }

    /** Each row repeated: out[g size + k, :] = x[g, :] for k < size (the backward of {@link #sumGroups}). */
    public static void repeatRows(float[] out, float[] x, int rows, int size, int width) {
        for (int g = 0; g < rows; g++) {
            for (int k = 0; k < size; k++) {
                System.arraycopy(x, g * width, out, (g * size + k) * width, width);
            }
        }
    }

    /**
     * Fills {@code mask} with 0 (dropped, probability p) or 1/(1-p) (kept): inverted dropout, so
     * evaluation needs no rescaling. The random source makes masks reproducible from a seed.
     */
    public static void dropoutMask(float[] mask, int n, float p, java.util.random.RandomGenerator rng) {
        float keep = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextFloat() < p ? 0f : keep;
        }
    }

    /** x *= mask over n values (forward and backward of dropout alike). */
    public static void multiply(float[] x, float[] mask, int n) {
        inChunks(n, (from, end) -> {
            int i = from;
            for (int bound = i + S.loopBound(end - i); i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, i).mul(FloatVector.fromArray(S, mask, i)).intoArray(x, i);
            }
            for (; i < end; i++) {
                x[i] *= mask[i];
            }
        });
    }

    /**
     * dst {@code [cols, rows]} = src {@code [rows, cols]} transposed, in 32 x 32 blocks so that both
     * sides stay in cache; parallel over blocks of rows.
     */
    public static void transpose(float[] dst, float[] src, int rows, int cols) {
        int block = 32;
        int blocks = (rows + block - 1) / block;
        Parallel.forRange(blocks, (long) block * cols, (b0, b1) -> {
            for (int bi = b0; bi < b1; bi++) {
                int i0 = bi * block;
                int i1 = Math.min(rows, i0 + block);
                for (int j0 = 0; j0 < cols; j0 += block) {
                    int j1 = Math.min(cols, j0 + block);
                    for (int i = i0; i < i1; i++) {
                        for (int j = j0; j < j1; j++) {
                            dst[j * rows + i] = src[i * cols + j];
                        }
                    }
                }
            }
        });
    }

    /** x[r, :] += table[ids[r], :] for r < rows: an embedding lookup added into rows of width {@code width}. */
    public static void addRows(float[] x, float[] table, int[] ids, int rows, int width) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            int to = ids[r] * width;
            int i = 0;
            for (int bound = S.loopBound(width); i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, o + i).add(FloatVector.fromArray(S, table, to + i)).intoArray(x, o + i);
            }
            for (; i < width; i++) {
                x[o + i] += table[to + i];
            }
        }
    }

    /** dtable[ids[r], :] += dx[r, :] for r < rows, in row order: the backward of {@link #addRows}. */
    public static void scatterAddRows(float[] dtable, float[] dx, int[] ids, int rows, int width) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            int to = ids[r] * width;
            int i = 0;
            for (int bound = S.loopBound(width); i < bound; i += S.length()) {
                FloatVector.fromArray(S, dtable, to + i).add(FloatVector.fromArray(S, dx, o + i)).intoArray(dtable, to + i);
            }
            for (; i < width; i++) {
                dtable[to + i] += dx[o + i];
            }
        }
    }

    /** y[r, :] += v for each of {@code rows} rows of width {@code width} (a bias after a product without one). */
    public static void addToRows(float[] y, float[] v, int rows, int width) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            int i = 0;
            for (int bound = S.loopBound(width); i < bound; i += S.length()) {
                FloatVector.fromArray(S, y, o + i).add(FloatVector.fromArray(S, v, i)).intoArray(y, o + i);
            }
            for (; i < width; i++) {
                y[o + i] += v[i];
            }
        }
    }
}
