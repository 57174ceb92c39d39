package org.gpt4j.model;

/**
 * The keys and values of every layer for the positions a sequence has already seen, so that
 * generation computes each new token's attention without recomputing the prefix. One cache
 * holds B sequences of up to {@code capacity} positions, all of the same length.
 *
 * <p>Filled by {@link Gpt#forward(int[], int, int, KvCache)}: the prompt in one batched pass
 * (prefill), then one token at a time.
 */
public final class KvCache {

    private final int batch;
    private final int capacity;
    private final int c;
    private final float[][] keys;
    private final float[][] values;
    private int length;

    public KvCache(GptConfig config, int batch, int capacity) {
        if (batch <= 0) {
            throw new IllegalArgumentException("cache batch must be positive, got " + batch);
        }
        if (capacity <= 0 || capacity > config.nPositions()) {
            throw new IllegalArgumentException("cache capacity must be in [1, n_positions = " + config.nPositions()
                    + "], got " + capacity);
        }
        this.batch = batch;
        this.capacity = capacity;
        this.c = config.nEmbd();
        int n = Buffers.checkedProduct(batch, capacity, c);
        this.keys = new float[config.nLayer()][n];
        this.values = new float[config.nLayer()][n];
    }

    public int batch() {
        return batch;
    }

    public int capacity() {
        return capacity;
    }

    /** Positions filled so far (the position of the next token). */
    public int length() {
        return length;
    }

    /** Forgets every position (the arrays are reused). */
    public void clear() {
        length = 0;
    }

    /** Keeps only the first {@code newLength} positions. */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a cache of " + length + " positions to " + newLength);
        }
        length = newLength;
    }

    /**
     * Rearranges the sequences: sequence i becomes a copy of what sequence {@code sources[i]} was
     * (beam search keeps the prefixes of the beams it continues).
     */
    public void reorder(int[] sources) {
        if (sources.length != batch) {
            throw new IllegalArgumentException("reorder needs " + batch + " sources, got " + sources.length);
        }
        int row = capacity * c;
        int used = length * c;
        for (int l = 0; l < keys.length; l++) {
            float[] k = keys[l].clone();
            float[] v = values[l].clone();
            for (int i = 0; i < batch; i++) {
                int s = sources[i];
                if (s < 0 || s >= batch) {
                    throw new IllegalArgumentException("reorder source " + s + " is outside [0, " + batch + ")");
                }
                System.arraycopy(k, s * row, keys[l], i * row, used);
                System.arraycopy(v, s * row, values[l], i * row, used);
            }
        }
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    int width() {
        return c;
    }

    void advance(int t) {
        length += t;
    }
}
