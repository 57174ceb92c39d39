package org.gpt4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns a byte-level BPE vocabulary from text, the way GPT-2's was made: split the text with
 * GPT-2's pre-tokeniser, count the distinct pieces ("words"), start from the 256 byte tokens and
 * repeatedly merge the most frequent adjacent pair inside words.
 *
 * <p><b>Deterministic</b>: ties in frequency go to the pair with the smaller (left id, right id),
 * and nothing depends on hash order, so the same text always gives the same files.
 * <b>Ids</b>: 0..255 are the bytes in the order of their vocab.json characters (as in GPT-2),
 * then one id per new token in the order it was learnt, and {@code <|endoftext|>} last. The
 * requested vocabulary size includes it. As in Hugging Face tokenizers, a merge whose bytes equal
 * an existing token's (made earlier from a different pair) reuses that token's id.
 *
 * <p>Merging is incremental ({@link PairMerging}, shared with {@link WordPieceTrainer}), so a
 * 4,096-token vocabulary on megabytes of text takes seconds.
 */
public final class BpeTrainer {

    /** Ids must fit in 16 bits for the packed priority queue. */
    public static final int MAX_VOCAB_SIZE = PairMerging.MAX_SYMBOLS;
    /** 256 byte tokens and {@code <|endoftext|>}. */
    public static final int MIN_VOCAB_SIZE = 257;

    /** Told the vocabulary size after each merge. */
    @FunctionalInterface
    public interface Progress {
        void merged(int vocabSize, int targetSize);
    }

    private final Map<String, long[]> wordCounts = new HashMap<>();
    private long pieces;

    /** Counts the pieces of one text (a file, a document); call once per text. */
    public void addText(String text) {
        char[] s = text.toCharArray();
        int i = 0;
        while (i < s.length) {
            int end = Gpt2PreTokenizer.pieceEnd(s, i, s.length);
            wordCounts.computeIfAbsent(new String(s, i, end - i), w -> new long[1])[0]++;
            pieces++;
            i = end;
        }
    }

    /** Pieces counted so far. */
    public long pieceCount() {
        return pieces;
    }

    /** Distinct pieces counted so far. */
    public int distinctWords() {
        return wordCounts.size();
    }

    /**
     * Learns merges until the vocabulary has {@code vocabSize} tokens ({@code <|endoftext|>}
     * included) or no pair occurs any more.
     */
    public BpeTokenizer train(int vocabSize, Progress progress) {
        return train(vocabSize, progress, List.of());
    }

    /**
     * As {@link #train(int, Progress)}, with {@code firstMerges} (pairs of token bytes, left and
     * right) as the first merges, in order, before the learnt ones: they take the lowest ranks,
     * so encoding applies them first. Each pair's parts must be bytes or earlier merges' results.
     */
    public BpeTokenizer train(int vocabSize, Progress progress, List<byte[][]> firstMerges) {
        if (vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabulary size must be between " + MIN_VOCAB_SIZE
                    + " (256 bytes and <|endoftext|>) and " + MAX_VOCAB_SIZE + ", got " + vocabSize);
        }
        if (MIN_VOCAB_SIZE + firstMerges.size() > vocabSize) {
            throw new IllegalArgumentException("a vocabulary of " + vocabSize + " has no room for " + firstMerges.size()
                    + " given merges beside the 256 bytes and <|endoftext|>");
        }
        return new Run(vocabSize, progress).learn(firstMerges);
    }

    /**
     * Codex's whitespace tokens for code, as merges: after them every run of 2 to {@code longest}
     * spaces is one token, so indentation costs one token however deep. Runs of a power of two
     * are built by doubling, the others as the largest power below plus the rest, ranked by
     * length, so that greedy lowest-rank merging reaches one token for every length.
     */
    public static List<byte[][]> spaceRunMerges(int longest) {
        if (longest < 2 || longest > 256) {
            throw new IllegalArgumentException("the longest space run must be in [2, 256], got " + longest);
        }
        List<byte[][]> out = new ArrayList<>();
        for (int p = 2; p <= longest; p *= 2) {
            out.add(new byte[][] {spaces(p / 2), spaces(p / 2)});
        }
        for (int k = 3; k <= longest; k++) {
            int p = Integer.highestOneBit(k);
            if (p != k) {
                out.add(new byte[][] {spaces(p), spaces(k - p)});
            }
        }
        return out;
    }

    private static byte[] spaces(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) ' ');
        return b;
    }

    /** The state of one training run. */
    private final class Run {
        final int target;
        final Progress progress;
        final List<byte[]> tokenBytes = new ArrayList<>();
        /** Token bytes (as ISO-8859-1 text, one char per byte) to id, to reuse ids of equal tokens. */
        final Map<String, Integer> idOfBytes = new HashMap<>();
        final List<int[]> merges = new ArrayList<>();
        PairMerging merging;

        Run(int target, Progress progress) {
            this.target = target;
            this.progress = progress;
        }

        BpeTokenizer learn(List<byte[][]> firstMerges) {
            int[] byteId = baseTokens();
            loadWords(byteId);
            for (byte[][] given : firstMerges) {
                Integer a = idOfBytes.get(new String(given[0], StandardCharsets.ISO_8859_1));
                Integer b = idOfBytes.get(new String(given[1], StandardCharsets.ISO_8859_1));
                if (a == null || b == null) {
                    throw new IllegalArgumentException("a given merge's part is neither a byte nor an earlier merge's result");
                }
                merge(a, b);
            }
            while (tokenBytes.size() + 1 < target) {
                int[] best = merging.best();
                if (best == null) {
                    break;
                }
                merge(best[0], best[1]);
            }
            int endOfText = tokenBytes.size();
            tokenBytes.add(Tokenizer.END_OF_TEXT.getBytes(StandardCharsets.UTF_8));
            return new BpeTokenizer(tokenBytes.toArray(new byte[0][]), merges.toArray(new int[0][]),
                    Map.of(Tokenizer.END_OF_TEXT, endOfText), -1);
        }

        /** Adds the merge (a, b) and applies it to the words that hold the pair. */
        private void merge(int a, int b) {
            byte[] joined = BpeTokenizer.concat(tokenBytes.get(a), tokenBytes.get(b));
            String spelled = new String(joined, StandardCharsets.ISO_8859_1);
            Integer existing = idOfBytes.get(spelled);
            int z = existing != null ? existing : tokenBytes.size();
            if (existing == null) {
                tokenBytes.add(joined);
                idOfBytes.put(spelled, z);
            }
            merges.add(new int[] {a, b, z});
            merging.merge(a, b, z);
            if (progress != null) {
                progress.merged(tokenBytes.size() + 1, target);
            }
        }

        /** Ids 0..255: bytes ordered by the character that spells them in vocab.json, as GPT-2. */
        int[] baseTokens() {
            int[] byteId = new int[256];
            for (char c = 0; c < 0x144; c++) {
                int b = ByteLevel.byteOf(c);
                if (b >= 0) {
                    byteId[b] = tokenBytes.size();
                    byte[] one = {(byte) b};
                    idOfBytes.put(new String(one, StandardCharsets.ISO_8859_1), tokenBytes.size());
                    tokenBytes.add(one);
                }
            }
            return byteId;
        }

        void loadWords(int[] byteId) {
            // Sorted, so that word indices (and with them everything after) never depend on hash order.
            List<String> distinct = new ArrayList<>(wordCounts.keySet());
            distinct.sort(null);
            int[][] words = new int[distinct.size()][];
            long[] frequency = new long[distinct.size()];
            for (int w = 0; w < words.length; w++) {
                String word = distinct.get(w);
                checkScalarValues(word);
                byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
                int[] sym = new int[utf8.length];
                for (int i = 0; i < utf8.length; i++) {
                    sym[i] = byteId[utf8[i] & 0xFF];
                }
                words[w] = sym;
                frequency[w] = wordCounts.get(word)[0];
            }
            merging = new PairMerging(words, frequency);
        }
    }

    private static void checkScalarValues(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= word.length() || !Character.isLowSurrogate(word.charAt(i + 1))) {
                    throw new IllegalArgumentException("training text has an unpaired surrogate U+"
                            + Integer.toHexString(c).toUpperCase() + " (not valid Unicode)");
                }
                i++;
            }
        }
    }
}
