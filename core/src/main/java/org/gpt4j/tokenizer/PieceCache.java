package org.gpt4j.tokenizer;

/**
 * Remembers the ids of recently encoded pieces (" the", " of", ","), keyed by their characters,
 * so that common words skip UTF-8 conversion and merging. Most English text hits it.
 *
 * <p>Safe without locks: entries are immutable and published through final fields; two threads
 * racing on a slot at worst lose an entry, never see a torn one. The table is fixed-size and a new
 * entry overwrites an old one, so memory stays bounded on any input.
 */
final class PieceCache {

    /** Pieces longer than this are rare and not worth the memory. */
    static final int MAX_PIECE_CHARS = 32;

    private static final int PROBES = 4;

    private record Entry(char[] key, int hash, int[] ids) {
    }

    private final Entry[] table;
    private final int mask;

    PieceCache(int capacityPowerOfTwo) {
        table = new Entry[1 << capacityPowerOfTwo];
        mask = table.length - 1;
    }

    static int hash(char[] s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s[i];
        }
        return h ^ (h >>> 15);
    }

    /** The cached ids of {@code s[from..to)}, or null. */
    int[] get(char[] s, int from, int to, int hash) {
        int slot = hash & mask;
        for (int p = 0; p < PROBES; p++) {
            Entry e = table[(slot + p) & mask];
            if (e == null) {
                return null;
            }
            if (e.hash == hash && java.util.Arrays.equals(e.key, 0, e.key.length, s, from, to)) {
                return e.ids;
            }
        }
        return null;
    }

    void put(char[] s, int from, int to, int hash, int[] ids) {
        if (to - from > MAX_PIECE_CHARS) {
            return;
        }
        Entry entry = new Entry(java.util.Arrays.copyOfRange(s, from, to), hash, ids);
        int slot = hash & mask;
        for (int p = 0; p < PROBES; p++) {
            int i = (slot + p) & mask;
            if (table[i] == null) {
                table[i] = entry;
                return;
            }
        }
        table[slot] = entry;
    }
}
