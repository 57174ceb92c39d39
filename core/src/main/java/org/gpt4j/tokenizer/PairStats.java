package org.gpt4j.tokenizer;

import java.util.Arrays;

/**
 * For BPE training: every adjacent token pair seen in the corpus, with its weighted count and the
 * words it occurs in. Pairs get dense indices so counts and word lists live in plain arrays; a word
 * list may hold words that no longer contain the pair (the trainer skips those), never misses one.
 */
final class PairStats {

    private static final long EMPTY = -1L;

    private long[] slotKeys;
    private int[] slotIndex;
    private int mask;

    private long[] pairKeys = new long[1024];
    private long[] counts = new long[1024];
    private IntList[] words = new IntList[1024];
    private int size;

    PairStats() {
        slotKeys = new long[1 << 12];
        slotIndex = new int[1 << 12];
        Arrays.fill(slotKeys, EMPTY);
        mask = slotKeys.length - 1;
    }

    static long key(int left, int right) {
        return ((long) left << 32) | right;
    }

    static int leftOf(long key) {
        return (int) (key >>> 32);
    }

    static int rightOf(long key) {
        return (int) key;
    }

    /** The pair's index, creating it with count 0 if new. */
    int indexOf(int left, int right) {
        long key = key(left, right);
        int slot = mix(key) & mask;
        while (true) {
            long k = slotKeys[slot];
            if (k == key) {
                return slotIndex[slot];
            }
            if (k == EMPTY) {
                break;
            }
            slot = (slot + 1) & mask;
        }
        if (size == pairKeys.length) {
            pairKeys = Arrays.copyOf(pairKeys, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
            words = Arrays.copyOf(words, size * 2);
        }
        int index = size++;
        pairKeys[index] = key;
        slotKeys[slot] = key;
        slotIndex[slot] = index;
        if (size * 2 > slotKeys.length) {
            grow();
        }
        return index;
    }

    /** Adds {@code delta} occurrences of the pair in word {@code word}; returns the pair's index. */
    int add(int left, int right, long delta, int word) {
        int index = indexOf(left, right);
        counts[index] += delta;
        if (delta > 0) {
            IntList list = words[index];
            if (list == null) {
                list = words[index] = new IntList(4);
            }
            if (list.size() == 0 || list.last() != word) {
                list.add(word);
            }
        }
        return index;
    }

    long count(int index) {
        return counts[index];
    }

    long pairKey(int index) {
        return pairKeys[index];
    }

    int size() {
        return size;
    }

    /** The words that may contain the pair; the pair is forgotten (count 0, no words) afterwards. */
    IntList takeWords(int index) {
        IntList list = words[index];
        words[index] = null;
        counts[index] = 0;
        return list == null ? new IntList(1) : list;
    }

    private void grow() {
        long[] oldKeys = slotKeys;
        int[] oldIndex = slotIndex;
        slotKeys = new long[oldKeys.length * 2];
        slotIndex = new int[oldKeys.length * 2];
        Arrays.fill(slotKeys, EMPTY);
        mask = slotKeys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = mix(oldKeys[i]) & mask;
                while (slotKeys[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                slotKeys[slot] = oldKeys[i];
                slotIndex[slot] = oldIndex[i];
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) ^ (int) h;
    }
}
