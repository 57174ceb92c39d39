package org.gpt4j.tokenizer;

import java.util.Arrays;

/**
 * Token strings to ids, looked up by a range of a char array so that WordPiece's greedy search
 * (every prefix of a word, longest first) allocates nothing. Open addressing over a flat array;
 * built once, then read-only, so safe to share between threads.
 */
final class VocabTable {

    private final char[][] keys;
    private final int[] ids;
    private final int mask;

    /** {@code tokens[i]} maps to {@code ids[i]}; a token given twice keeps the first id. */
    VocabTable(String[] tokens, int[] tokenIds) {
        int capacity = Integer.highestOneBit(Math.max(4, tokens.length * 2 + 1)) << 1;
        keys = new char[capacity][];
        ids = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < tokens.length; i++) {
            char[] k = tokens[i].toCharArray();
            int slot = hash(k, 0, k.length) & mask;
            while (keys[slot] != null && !Arrays.equals(keys[slot], k)) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == null) {
                keys[slot] = k;
                ids[slot] = tokenIds[i];
            }
        }
    }

    /** The id of the token spelled {@code s[from..to)}, or -1. */
    int get(char[] s, int from, int to) {
        int slot = hash(s, from, to) & mask;
        while (true) {
            char[] k = keys[slot];
            if (k == null) {
                return -1;
            }
            if (Arrays.equals(k, 0, k.length, s, from, to)) {
                return ids[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int hash(char[] s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s[i];
        }
        return h ^ (h >>> 16) ^ (h >>> 7);
    }
}
