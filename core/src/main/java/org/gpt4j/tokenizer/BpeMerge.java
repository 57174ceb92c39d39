package org.gpt4j.tokenizer;

/**
 * Byte-pair merging of one pre-tokenised piece: repeatedly merge the adjacent pair with the best
 * (lowest) rank, the leftmost one on ties, until no pair has a merge rule — the order in which
 * GPT-2's {@code encoder.py}, Hugging Face tokenizers and tiktoken all arrive at the same ids.
 *
 * <p>Short pieces (nearly all of them) use a flat array scan; long ones (a run of 10,000 spaces)
 * a heap over a linked list, so that no input takes quadratic time.
 */
final class BpeMerge {

    /** Up to this many symbols the quadratic scan beats the heap's bookkeeping. */
    static final int SMALL = 64;

    private BpeMerge() {
    }

    /**
     * Merges {@code sym[0..n)} in place and returns the new length; {@code pair} is scratch of at
     * least {@link #SMALL} longs.
     */
    static int merge(MergeTable table, int[] sym, int n, long[] pair) {
        if (n < 2) {
            return n;
        }
        return n <= SMALL ? mergeSmall(table, sym, n, pair) : mergeLarge(table, sym, n);
    }

    static int mergeSmall(MergeTable table, int[] sym, int n, long[] pair) {
        // pair[i] is the packed (rank, merged id) of sym[i] and sym[i + 1].
        for (int i = 0; i < n - 1; i++) {
            pair[i] = table.lookup(sym[i], sym[i + 1]);
        }
        int len = n;
        while (len > 1) {
            int best = 0;
            long bestValue = pair[0];
            for (int i = 1; i < len - 1; i++) {
                if (pair[i] < bestValue) {
                    bestValue = pair[i];
                    best = i;
                }
            }
            if (bestValue == MergeTable.NONE) {
                break;
            }
            sym[best] = MergeTable.mergedIdOf(bestValue);
            System.arraycopy(sym, best + 2, sym, best + 1, len - best - 2);
            int pairsAfter = len - best - 3;
            if (pairsAfter > 0) {
                System.arraycopy(pair, best + 2, pair, best + 1, pairsAfter);
            }
            len--;
            if (best > 0) {
                pair[best - 1] = table.lookup(sym[best - 1], sym[best]);
            }
            if (best < len - 1) {
                pair[best] = table.lookup(sym[best], sym[best + 1]);
            }
        }
        return len;
    }

    static int mergeLarge(MergeTable table, int[] sym, int n) {
        int[] next = new int[n];
        int[] prev = new int[n];
        LongMinHeap heap = new LongMinHeap();
        for (int i = 0; i < n; i++) {
            next[i] = i + 1;
            prev[i] = i - 1;
            if (i + 1 < n) {
                pushPair(heap, table, sym, i, i + 1);
            }
        }
        while (!heap.isEmpty()) {
            long entry = heap.pop();
            int i = (int) entry;
            int rank = (int) (entry >>> 32);
            if (sym[i] < 0 || next[i] >= n) {
                continue;
            }
            int j = next[i];
            long value = table.lookup(sym[i], sym[j]);
            // Stale entry: the pair at i changed since it was pushed (each rank names one pair).
            if (value == MergeTable.NONE || MergeTable.rankOf(value) != rank) {
                continue;
            }
            sym[i] = MergeTable.mergedIdOf(value);
            sym[j] = -1;
            int k = next[j];
            next[i] = k;
            if (k < n) {
                prev[k] = i;
                pushPair(heap, table, sym, i, k);
            }
            if (prev[i] >= 0) {
                pushPair(heap, table, sym, prev[i], i);
            }
        }
        int len = 0;
        for (int i = 0; i < n; i++) {
            if (sym[i] >= 0) {
                sym[len++] = sym[i];
            }
        }
        return len;
    }

    private static void pushPair(LongMinHeap heap, MergeTable table, int[] sym, int i, int j) {
        long value = table.lookup(sym[i], sym[j]);
        if (value != MergeTable.NONE) {
            heap.push(((long) MergeTable.rankOf(value) << 32) | i);
        }
    }
}
