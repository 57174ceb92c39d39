package org.gpt4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Sentence pairs for BERT's next-sentence prediction, as Google's create_pretraining_data.py makes
 * them from documents split into sentences: sentences are gathered until the target length, split
 * at a random sentence into A and B; with probability 1/2 (always, for a single sentence) B is
 * replaced by text from a random place of another document, and the unused sentences are read
 * again for the next pair. 10% of pairs aim at a random shorter length, as BERT does to soften
 * the mismatch with short fine-tuning inputs; a pair too long loses tokens from the longer side,
 * at its front or back at random.
 */
public final class NextSentencePairs {

    /** Google's short_seq_prob. */
    public static final double SHORT_PAIRS = 0.1;

    private final int clsId;
    private final int sepId;
    private final int maxLength;

    /** @param maxLength the longest example, [CLS] and both [SEP] included (at least 5) */
    public NextSentencePairs(int clsId, int sepId, int maxLength) {
        if (maxLength < 5) {
            throw new IllegalArgumentException("a sentence pair needs at least 5 positions ([CLS] a [SEP] b [SEP]), got " + maxLength);
        }
        this.clsId = clsId;
        this.sepId = sepId;
        this.maxLength = maxLength;
    }

    /**
     * The pairs of one pass over {@code documents} (each a list of sentences, each the token ids
     * of one sentence without special tokens), in document order; the same seed gives the same
     * pairs. Empty sentences are skipped.
     */
    public List<SentencePair> pairs(List<List<int[]>> documents, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<int[]>> docs = new ArrayList<>();
        for (List<int[]> d : documents) {
            List<int[]> sentences = new ArrayList<>();
            for (int[] s : d) {
                if (s.length > 0) {
                    sentences.add(s);
                }
            }
            docs.add(sentences);
        }
        List<SentencePair> out = new ArrayList<>();
        for (int d = 0; d < docs.size(); d++) {
            fromDocument(docs, d, rng, out);
        }
        return out;
    }

    private void fromDocument(List<List<int[]>> docs, int d, SplittableRandom rng, List<SentencePair> out) {
        List<int[]> document = docs.get(d);
        int maxTokens = maxLength - 3;
        int target = rng.nextDouble() < SHORT_PAIRS ? 2 + rng.nextInt(maxTokens - 1) : maxTokens;
        List<int[]> chunk = new ArrayList<>();
        int chunkLength = 0;
        for (int i = 0; i < document.size(); i++) {
            chunk.add(document.get(i));
            chunkLength += document.get(i).length;
            if (i != document.size() - 1 && chunkLength < target) {
                continue;
            }
            int aEnd = chunk.size() >= 2 ? 1 + rng.nextInt(chunk.size() - 1) : 1;
            IntList a = concat(chunk, 0, aEnd);
            IntList b = new IntList();
            boolean random = chunk.size() == 1 || rng.nextDouble() < 0.5;
            if (random) {
                List<int[]> other = docs.get(otherDocument(docs, d, rng));
                if (!other.isEmpty()) {
                    for (int j = rng.nextInt(other.size()); j < other.size() && b.size() < target - a.size(); j++) {
                        b.addAll(other.get(j));
                    }
                }
                // the sentences not used as B are read again for the next pair
                i -= chunk.size() - aEnd;
            } else {
                b = concat(chunk, aEnd, chunk.size());
            }
            truncate(a, b, maxTokens, rng);
            if (a.size() > 0 && b.size() > 0) {
                out.add(pair(a, b, random));
            }
            chunk.clear();
            chunkLength = 0;
        }
    }

    /** Another document (ten tries, as Google's script; the same one when there is no other). */
    private static int otherDocument(List<List<int[]>> docs, int d, SplittableRandom rng) {
        int r = d;
        for (int tries = 0; tries < 10 && r == d && docs.size() > 1; tries++) {
            r = rng.nextInt(docs.size());
        }
        return r;
    }

    private static void truncate(IntList a, IntList b, int maxTokens, SplittableRandom rng) {
        while (a.size() + b.size() > maxTokens) {
            IntList longer = a.size() > b.size() ? a : b;
            longer.remove(rng.nextDouble() < 0.5 ? 0 : longer.size() - 1);
        }
    }

    private SentencePair pair(IntList a, IntList b, boolean random) {
        int n = a.size() + b.size() + 3;
        int[] tokens = new int[n];
        int[] types = new int[n];
        int k = 0;
        tokens[k++] = clsId;
        for (int i = 0; i < a.size(); i++) {
            tokens[k++] = a.get(i);
        }
        tokens[k++] = sepId;
        int firstB = k;
        for (int i = 0; i < b.size(); i++) {
            tokens[k++] = b.get(i);
        }
        tokens[k] = sepId;
        java.util.Arrays.fill(types, firstB, n, 1);
        return new SentencePair(tokens, types, random);
    }

    private static IntList concat(List<int[]> sentences, int from, int to) {
        IntList out = new IntList();
        for (int i = from; i < to; i++) {
            out.addAll(sentences.get(i));
        }
        return out;
    }

    /** A growable list of ints (removal at either end only costs what it moves). */
    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void addAll(int[] more) {
            if (size + more.length > values.length) {
                values = java.util.Arrays.copyOf(values, Math.max(2 * values.length, size + more.length));
            }
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        void remove(int index) {
            System.arraycopy(values, index + 1, values, index, size - index - 1);
            size--;
        }

        int get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }
    }
}
