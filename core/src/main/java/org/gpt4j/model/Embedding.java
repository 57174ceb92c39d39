package org.gpt4j.model;

import org.gpt4j.tensor.CompactMatrix;

/**
 * The input of the decoder stack: the token embedding ({@code wte}) of each id plus the position
 * signal of its place — a learned row of {@code wpe}, a fixed sinusoid, or nothing.
 *
 * <p>The sinusoid table is computed for the positions read so far and grows as longer sequences
 * come (every entry depends only on its position): n_positions, which no weight fixes for
 * sinusoids, sizes nothing up front.
 */
final class Embedding {

    private final Parameters params;
    private final PositionalEncoding kind;
    private final int c;
    private final float[] wte;
    private final float[] wpe;
    private final int nPositions;
    /** Volatile: the studio reads the table while another request's forward may grow it. */
    private volatile float[] sinusoids;
    /** The token embedding as the unembedding reads it (bf16 or int8), or null for f32. */
    private final CompactMatrix compactWte;

    Embedding(Parameters params, GptConfig config) {
        this.params = params;
        this.kind = config.positionalEncoding();
        this.c = config.nEmbd();
        this.compactWte = params.compactData("wte.weight");
        this.wte = compactWte == null ? params.data("wte.weight") : null;
        this.wpe = kind == PositionalEncoding.LEARNED ? params.data("wpe.weight") : null;
        this.nPositions = config.nPositions();
        this.sinusoids = kind == PositionalEncoding.SINUSOIDAL ? sinusoidTable(Math.min(nPositions, INITIAL_ROWS), c) : null;
    }

    /** Sinusoid rows computed at first. */
    private static final int INITIAL_ROWS = 64;

    /** x[b, t] = wte[tokens[b, t]] + P[past[b] + t]: sequence b continues after past[b] positions. */
    void forward(float[] x, int[] tokens, int b, int t, int[] past) {
        int longest = 0;
        for (int p : past) {
            longest = Math.max(longest, p);
        }
        float[] positions = positionTable(longest + t);
        for (int bi = 0; bi < b; bi++) {
            for (int ti = 0; ti < t; ti++) {
                int row = bi * t + ti;
                int xo = row * c;
                if (compactWte != null) {
                    // The same rows the unembedding reads, so input and output embeddings stay tied.
                    compactWte.dequantizeRows(tokens[row], tokens[row] + 1, x, xo);
                } else {
                    System.arraycopy(wte, tokens[row] * c, x, xo, c);
                }
                if (positions != null) {
                    int po = (past[bi] + ti) * c;
                    for (int i = 0; i < c; i++) {
                        x[xo + i] += positions[po + i];
                    }
                }
            }
        }
    }

    /** Adds dx into the rows of wte (and wpe) that the forward read. */
    void backward(float[] dx, int[] tokens, int b, int t) {
        float[] dwte = params.grad("wte.weight");
        float[] dwpe = kind == PositionalEncoding.LEARNED ? params.grad("wpe.weight") : null;
        for (int row = 0; row < b * t; row++) {
            int xo = row * c;
            int to = tokens[row] * c;
            int po = (row % t) * c;
            for (int i = 0; i < c; i++) {
                dwte[to + i] += dx[xo + i];
                if (dwpe != null) {
                    dwpe[po + i] += dx[xo + i];
                }
            }
        }
    }

    /**
     * The position signal added at each position, {@code [rows, C]} with at least the first
     * {@code rows} positions (learned: all n_positions), or null for none.
     */
    float[] positionTable(int rows) {
        if (kind != PositionalEncoding.SINUSOIDAL) {
            return kind == PositionalEncoding.LEARNED ? wpe : null;
        }
        float[] table = sinusoids;
        if (rows > table.length / c) {
            table = sinusoidTable((int) Math.min(nPositions, Math.max(rows, 2L * (table.length / c))), c);
            sinusoids = table;
        }
        return table;
    }

    /** PE(pos, 2i) = sin(pos / 10000^(2i/C)), PE(pos, 2i+1) = cos(pos / 10000^(2i/C)). */
    static float[] sinusoidTable(int positions, int c) {
        long n = (long) positions * c;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(positions + " positions x n_embd " + c + " = " + n
                    + " sinusoid values: more than one Java array holds (use a shorter sequence)");
        }
        float[] table = new float[(int) n];
        for (int pos = 0; pos < positions; pos++) {
            for (int i = 0; i < c; i += 2) {
                double angle = pos / StrictMath.pow(10000.0, (double) i / c);
                table[pos * c + i] = (float) StrictMath.sin(angle);
                table[pos * c + i + 1] = (float) StrictMath.cos(angle);
            }
        }
        return table;
    }
}
