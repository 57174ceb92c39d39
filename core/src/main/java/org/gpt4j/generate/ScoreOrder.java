package org.gpt4j.generate;

/**
 * Stable orderings of a score row without boxing: each score's order-preserving bits and its index
 * packed into one long, so equal scores keep index order (as torch.sort(stable=True)). Only
 * entries above {@code -inf} are ordered: removed tokens have probability 0 and stay removed, and
 * after top-k a 50k vocabulary shrinks to k entries to sort.
 */
final class ScoreOrder {

    private ScoreOrder() {
    }

    /** Indices of the entries above -inf, from the lowest to the highest. */
    static int[] ascending(float[] keys) {
        return ascending(keys, keys);
    }

    /** Indices of the tokens whose score is above -inf, ordered by ascending {@code keys}. */
    static int[] ascending(float[] keys, float[] scores) {
        long[] packed = new long[keys.length];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (scores[i] != Float.NEGATIVE_INFINITY) {
                packed[n++] = pack(keys[i], i);
            }
        }
        return sorted(packed, n);
    }

    /** The given indices ordered by ascending {@code keys} (equal keys in index order). */
    static int[] ascending(float[] keys, int[] indices, int count) {
        long[] packed = new long[count];
        for (int k = 0; k < count; k++) {
            packed[k] = pack(keys[indices[k]], indices[k]);
        }
        return sorted(packed, count);
    }

    /** A key's order-preserving bits above its index: longs sort as (key, index). */
    private static long pack(float key, int index) {
        int bits = Float.floatToIntBits(key == 0f ? 0f : key);
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ordered << 32) | index;
    }

    private static int[] sorted(long[] packed, int n) {
        java.util.Arrays.sort(packed, 0, n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) packed[i];
        }
        return out;
    }
}
