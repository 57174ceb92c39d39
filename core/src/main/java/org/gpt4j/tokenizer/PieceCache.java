package org.gpt4j.tokenizer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Remembers the ids of recently encoded pieces (" the", " of", ",", "中"), keyed by their
 * characters, so that common words skip UTF-8 conversion and merging. Most text hits it.
 *
 * <p>Laid out for the memory system, because a hit costs little more than its cache-line reads:
 * a flat array of hashes, probed first (a miss reads one line), and one int array per entry
 * holding the key's characters packed two to an int and the ids after them (a hit reads that one
 * array, not an entry object, a key array and an ids array).
 *
 * <p>Safe without locks: an entry is never written after it is published (with release, read with
 * acquire, so its contents are visible); a hash is only a filter and the key is always compared in
 * full, so two threads racing on a slot at worst lose an entry, never see a wrong one. The table is
 * fixed-size and a new entry overwrites an old one, so memory stays bounded on any input.
 */
final class PieceCache {

    /** Pieces longer than this are rare and not worth the memory. */
    static final int MAX_PIECE_CHARS = 32;

    private static final int PROBES = 4;
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(int[][].class);

    /** The hash of each slot's piece; 0 in an empty slot, which a null entry then rejects. */
    private final int[] hashes;
    /** Each slot's entry: {character count, characters two to an int..., ids...}, or null. */
    private final int[][] entries;
    private final int mask;

    PieceCache(int capacityPowerOfTwo) {
        hashes = new int[1 << capacityPowerOfTwo];
        entries = new int[1 << capacityPowerOfTwo][];
        mask = hashes.length - 1;
    }

    static int hash(char[] s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s[i];
        }
        return h ^ (h >>> 15);
    }

    /** Appends the cached ids of {@code s[from..to)} to {@code out} and returns true, or returns false. */
    boolean appendTo(char[] s, int from, int to, int hash, IntList out) {
        int home = hash & mask;
        for (int p = 0; p < PROBES; p++) {
            int slot = (home + p) & mask;
            if (hashes[slot] == hash) {
                int[] entry = (int[]) ENTRY.getAcquire(entries, slot);
                if (entry != null && keyEquals(entry, s, from, to)) {
                    int idsFrom = idsFrom(to - from);
                    out.addAll(entry, idsFrom, entry.length - idsFrom);
                    return true;
                }
            }
        }
        return false;
    }

    void put(char[] s, int from, int to, int hash, int[] ids) {
        int n = to - from;
        if (n > MAX_PIECE_CHARS) {
            return;
        }
        int idsFrom = idsFrom(n);
        int[] entry = new int[idsFrom + ids.length];
        entry[0] = n;
        for (int k = 0; k < n; k += 2) {
            entry[1 + k / 2] = packed(s, from + k, to);
        }
        System.arraycopy(ids, 0, entry, idsFrom, ids.length);
        int home = hash & mask;
        int slot = home;
        for (int p = 0; p < PROBES; p++) {
            int candidate = (home + p) & mask;
            if (entries[candidate] == null) {
                slot = candidate;
                break;
            }
        }
        ENTRY.setRelease(entries, slot, entry);
        hashes[slot] = hash;
    }

    private static boolean keyEquals(int[] entry, char[] s, int from, int to) {
        int n = to - from;
        if (entry[0] != n) {
            return false;
        }
        for (int k = 0; k < n; k += 2) {
            if (entry[1 + k / 2] != packed(s, from + k, to)) {
                return false;
            }
        }
        return true;
    }

    /** Characters i and i + 1 (0 past the end) in one int. */
    private static int packed(char[] s, int i, int to) {
        return s[i] | (i + 1 < to ? s[i + 1] << 16 : 0);
    }

    private static int idsFrom(int chars) {
        return 1 + (chars + 1) / 2;
    }
}
