package org.gpt4j.model;

/**
 * The keys and values of every layer for the positions a sequence has already seen, so that
 * generation computes each new token's attention without recomputing the prefix. One cache
 * holds B sequences of up to {@code capacity} positions, all of the same length.
 *
 * <p>Filled by {@link Gpt#forward(int[], int, int, KvCache)}: the prompt in one batched pass
 * (prefill), then one token at a time.
 *
 * <p>A {@link #growing} cache starts small and doubles (copying what it holds, bit for bit) as
 * the sequences grow, up to n_positions: memory follows the tokens actually seen, not the
 * context window a config declares.
 */
public final class KvCache {

    /** Positions a growing cache holds at first. */
    static final int INITIAL_CAPACITY = 64;

    private final GptConfig config;
    private final int batch;
    private final int maxCapacity;
    private final int layers;
    private final int c;
    private int capacity;
    private float[][] keys;
    private float[][] values;
    private int length;

    /** A cache of {@code capacity} positions per sequence, allocated now. */
    public KvCache(GptConfig config, int batch, int capacity) {
        this(config, batch, capacity, capacity);
    }

    private KvCache(GptConfig config, int batch, int capacity, int maxCapacity) {
        if (batch <= 0) {
            throw new IllegalArgumentException("cache batch must be positive, got " + batch);
        }
        if (maxCapacity <= 0 || maxCapacity > config.nPositions()) {
            throw new IllegalArgumentException("cache capacity must be in [1, n_positions = " + config.nPositions()
                    + "], got " + maxCapacity);
        }
        this.config = config;
        this.batch = batch;
        this.maxCapacity = maxCapacity;
        this.layers = config.nLayer();
        this.c = config.nEmbd();
        allocate(capacity);
    }

    /** A cache that grows as needed up to n_positions; it starts with room for a few tokens. */
    public static KvCache growing(GptConfig config, int batch) {
        return new KvCache(config, batch, Math.min(INITIAL_CAPACITY, config.nPositions()), config.nPositions());
    }

    /**
     * Readies this cache for a forward of {@code b} sequences of {@code t} new tokens each: room
     * for them after what it holds.
     *
     * @throws IllegalArgumentException when it holds another number of sequences, or the new
     *                                  tokens would pass its largest capacity
     */
    void prepareFor(int b, int t) {
        if (batch != b) {
            throw new IllegalArgumentException("the cache holds " + batch + " sequences, the batch has " + b);
        }
        if ((long) length + t > maxCapacity) {
            throw new IllegalArgumentException(length + " cached + " + t + " new tokens exceed the cache's "
                    + maxCapacity + " positions (the context window is n_positions = " + config.nPositions() + ")");
        }
        reserve(length + t);
    }

    /**
     * Readies the caches of a decoding step's sequences, one new token each.
     *
     * @throws IllegalArgumentException when a cache appears twice, holds more than one
     *                                  sequence, or is full
     */
    static void prepareForStep(KvCache[] caches) {
        java.util.Set<KvCache> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (KvCache cache : caches) {
            if (!seen.add(cache)) {
                throw new IllegalArgumentException("a cache appears twice in one decoding step");
            }
            cache.prepareFor(1, 1);
        }
    }

    /**
     * Makes room for {@code positions} positions per sequence, keeping what the cache holds.
     *
     * @throws IllegalArgumentException past the cache's largest capacity (n_positions for a
     *                                  growing cache), or when the heap cannot hold the larger cache
     */
    void reserve(int positions) {
        if (positions <= capacity) {
            return;
        }
        if (positions > maxCapacity) {
            throw new IllegalArgumentException(positions + " positions exceed the cache's " + maxCapacity);
        }
        float[][] oldKeys = keys;
        float[][] oldValues = values;
        int oldRow = capacity * c;
        allocate((int) Math.min(maxCapacity, Math.max(positions, 2L * capacity)));
        int row = capacity * c;
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < batch; i++) {
                System.arraycopy(oldKeys[l], i * oldRow, keys[l], i * row, length * c);
                System.arraycopy(oldValues[l], i * oldRow, values[l], i * row, length * c);
            }
        }
    }

    private void allocate(int newCapacity) {
        int n = Buffers.checkedProduct(batch, newCapacity, c);
        HeapBudget.require(2L * layers * n * Float.BYTES, "a key-value cache of " + batch + " x " + newCapacity
                + " positions");
        keys = new float[layers][n];
        values = new float[layers][n];
        capacity = newCapacity;
    }

    /**
     * An independent copy of what this cache holds (room for what it holds, growing like it): one
     * prompt read once, continued by several sequences.
     */
    public KvCache copy() {
        KvCache copy = new KvCache(config, batch, Math.max(1, length), maxCapacity);
        int used = length * c;
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < batch; i++) {
                System.arraycopy(keys[l], i * capacity * c, copy.keys[l], i * copy.capacity * c, used);
                System.arraycopy(values[l], i * capacity * c, copy.values[l], i * copy.capacity * c, used);
            }
        }
        copy.length = length;
        return copy;
    }

    /** The most positions this cache can hold (n_positions for a growing cache). */
    public int maxCapacity() {
        return maxCapacity;
    }

    public int batch() {
        return batch;
    }

    /** Positions the cache holds room for now (a growing cache {@link #reserve reserves} more). */
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
