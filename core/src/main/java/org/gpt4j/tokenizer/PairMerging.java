package org.gpt4j.tokenizer;

import java.util.Arrays;

/**
 * The merge loop that BPE and WordPiece training share: words as sequences of symbol ids with
 * their corpus frequencies, the count of every adjacent pair, and the repeated step "take the
 * most frequent pair, replace it by a new symbol everywhere". What a symbol spells is the
 * caller's business; this only moves ids.
 *
 * <p><b>Deterministic</b>: ties in frequency go to the pair with the smaller (left id, right id).
 * <b>Incremental</b>: a merge touches only the words that contain its pair, and pair counts are
 * adjusted by difference, so a vocabulary of thousands on megabytes of text takes seconds.
 * Ids must fit in 16 bits (the packed priority queue).
 */
final class PairMerging {

    /** Symbol ids must be below this. */
    static final int MAX_SYMBOLS = 1 << 16;

    private final int[][] words;
    private final int[] lengths;
    private final long[] frequency;
    private final int[] visited;
    private int[] increased = new int[16];
    /** The step in which a pair was last noted as increased, so each is pushed once per step. */
    private int[] pairNoted = new int[1024];
    private final PairStats pairs = new PairStats();
    private final LongMinHeap queue = new LongMinHeap();
    private int step;

    /** Takes ownership of {@code words} (rewritten in place as merges apply). */
    PairMerging(int[][] words, long[] frequency) {
        this.words = words;
        this.frequency = frequency;
        lengths = new int[words.length];
        visited = new int[words.length];
        for (int w = 0; w < words.length; w++) {
            int[] s = words[w];
            lengths[w] = s.length;
            for (int i = 0; i + 1 < s.length; i++) {
                pairs.add(s[i], s[i + 1], frequency[w], w);
            }
        }
        for (int p = 0; p < pairs.size(); p++) {
            push(p);
        }
    }

    /** The most frequent pair as {left, right}, or null when no pair occurs any more. */
    int[] best() {
        while (!queue.isEmpty()) {
            long entry = queue.pop();
            int count = Integer.MAX_VALUE - (int) (entry >>> 32);
            int pair = pairs.indexOf((int) (entry >>> 16) & 0xFFFF, (int) entry & 0xFFFF);
            long current = pairs.count(pair);
            if (current == count && current > 0) {
                long key = pairs.pairKey(pair);
                return new int[] {PairStats.leftOf(key), PairStats.rightOf(key)};
            }
            if (current > 0 && current < count) {
                push(pair); // stale: the count fell since this entry was pushed
            }
        }
        return null;
    }

    /** How often the pair (a, b) occurs now. */
    long count(int a, int b) {
        return pairs.count(pairs.indexOf(a, b));
    }

    /** Replaces the pair (a, b) by {@code z} in every word that holds it (none when it occurs nowhere). */
    void merge(int a, int b, int z) {
        step++;
        int pair = pairs.indexOf(a, b);
        if (pairs.count(pair) <= 0) {
            return;
        }
        IntList candidates = pairs.takeWords(pair);
        int nIncreased = 0;
        for (int c = 0; c < candidates.size(); c++) {
            int w = candidates.get(c);
            if (visited[w] == step) {
                continue;
            }
            visited[w] = step;
            int[] s = words[w];
            int len = lengths[w];
            long f = frequency[w];
            int j = 0;
            for (int i = 0; i < len; ) {
                if (i + 1 < len && s[i] == a && s[i + 1] == b) {
                    if (j > 0) {
                        pairs.add(s[j - 1], a, -f, w);
                        nIncreased = note(pairs.add(s[j - 1], z, f, w), nIncreased);
                    }
                    if (i + 2 < len) {
                        pairs.add(b, s[i + 2], -f, w);
                        nIncreased = note(pairs.add(z, s[i + 2], f, w), nIncreased);
                    }
                    s[j++] = z;
                    i += 2;
                } else {
                    s[j++] = s[i++];
                }
            }
            lengths[w] = j;
        }
        pairs.takeWords(pair); // its count went negative through the neighbour updates; reset
        for (int k = 0; k < nIncreased; k++) {
            if (pairs.count(increased[k]) > 0) {
                push(increased[k]);
            }
        }
    }

    private void push(int pair) {
        long count = pairs.count(pair);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a pair occurs more than 2^31 times; train on a smaller sample");
        }
        long key = pairs.pairKey(pair);
        // Min-heap order = most frequent first, then smallest (left, right): 16 bits per id.
        queue.push(((long) (Integer.MAX_VALUE - (int) count) << 32)
                | ((long) PairStats.leftOf(key) << 16) | PairStats.rightOf(key));
    }

    /** Remembers that {@code pair}'s count rose in this step; returns the new number noted. */
    private int note(int pair, int n) {
        if (pair >= pairNoted.length) {
            pairNoted = Arrays.copyOf(pairNoted, Math.max(pair + 1, pairNoted.length * 2));
        }
        if (pairNoted[pair] == step) {
            return n;
        }
        pairNoted[pair] = step;
        if (n == increased.length) {
            increased = Arrays.copyOf(increased, n * 2);
        }
        increased[n] = pair;
        return n + 1;
    }
}
