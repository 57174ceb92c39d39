package org.gpt4j.tokenizer;

/**
 * The merge rules of a BPE vocabulary as an open-addressing hash table: (left id, right id) to
 * (rank, merged id). Encoding asks it once per adjacent pair, so it avoids boxing and maps.
 * Lookups return both numbers packed in one long, rank in the high half, so that the smaller
 * packed value is always the merge to apply first.
 */
final class MergeTable {

    /** Returned for a pair that has no merge rule; larger than every packed value. */
    static final long NONE = Long.MAX_VALUE;

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;

    /** Builds the table from merge rules in rank order: rule r merges {@code left[r]} and {@code right[r]} into {@code result[r]}. */
    MergeTable(int[] left, int[] right, int[] result) {
        int capacity = Integer.highestOneBit(Math.max(4, left.length * 2 + 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(keys, EMPTY);
        for (int rank = 0; rank < left.length; rank++) {
            long key = key(left[rank], right[rank]);
            int slot = slotOf(key);
            if (keys[slot] == EMPTY) {
                keys[slot] = key;
                values[slot] = pack(rank, result[rank]);
            }
            // A repeated rule keeps its first (best) rank; the loaders report repeats as errors.
        }
    }

    /** The packed (rank, merged id) for the pair, or {@link #NONE}. */
    long lookup(int left, int right) {
        long key = key(left, right);
        int slot = mix(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                return NONE;
            }
            slot = (slot + 1) & mask;
        }
    }

    static int rankOf(long packed) {
        return (int) (packed >>> 32);
    }

    static int mergedIdOf(long packed) {
        return (int) packed;
    }

    private static long pack(int rank, int merged) {
        return ((long) rank << 32) | (merged & 0xFFFFFFFFL);
    }

    private int slotOf(long key) {
        int slot = mix(key) & mask;
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) ^ (int) h;
    }
}
