package org.gpt4j.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Learns a WordPiece vocabulary from text, as Hugging Face tokenizers' {@code WordPieceTrainer}:
 * BERT's normaliser and pre-tokeniser cut the text into words; each word starts as its characters,
 * the first as itself and the rest with the {@code ##} continuation prefix ("cat" → c ##a ##t);
 * then the most frequent adjacent pair inside words is merged, again and again ({@link
 * PairMerging}), into one token ("##a" + "##t" → "##at", "c" + "##at" → "cat").
 *
 * <p>Ids: the special tokens ([PAD] [UNK] [CLS] [SEP] [MASK]), then every character seen (by code
 * point), then the continuation form of every character seen inside a word, then the merged tokens
 * in the order they were learnt. The requested size includes them all. Deterministic: ties go to
 * the pair with the smaller ids, and nothing depends on hash order. Hugging Face's trainer numbers
 * the continuation characters in hash order, so ties (common in small corpora) can go the other
 * way there; on 4 MB of Gutenberg with 8,000 tokens both learn the same set of tokens.
 */
public final class WordPieceTrainer {

    /** Told the vocabulary size after each merge. */
    @FunctionalInterface
    public interface Progress {
        void merged(int vocabSize, int targetSize);
    }

    private final WordPieceConfig config;
    private final BertBasicTokenizer basic;
    /** Whitespace-separated chunks and their counts: the pre-tokeniser's words come from each once. */
    private final Map<String, long[]> chunkCounts = new HashMap<>();
    private long chunks;

    public WordPieceTrainer(WordPieceConfig config) {
        this.config = config;
        this.basic = new BertBasicTokenizer(config.doLowerCase(), config.stripsAccents(), config.tokenizeChineseChars());
    }

    /** Counts the chunks of one text (a file, a document). */
    public void addText(String text) {
        basic.chunks(text, (s, from, to) -> {
            chunkCounts.computeIfAbsent(new String(s, from, to - from), k -> new long[1])[0]++;
            chunks++;
        });
    }

    /** Whitespace-separated chunks counted so far. */
    public long chunkCount() {
        return chunks;
    }

    /** Distinct chunks counted so far. */
    public int distinctChunks() {
        return chunkCounts.size();
    }

    /**
     * Learns merges until the vocabulary has {@code vocabSize} tokens or no pair occurs any more.
     *
     * @throws IllegalArgumentException when the size is above {@link PairMerging#MAX_SYMBOLS} or
     *         leaves no room for the special tokens and the characters of the text
     */
    public WordPieceTokenizer train(int vocabSize, Progress progress) {
        if (vocabSize > PairMerging.MAX_SYMBOLS) {
            throw new IllegalArgumentException("vocabulary size must be at most " + PairMerging.MAX_SYMBOLS + ", got " + vocabSize);
        }
        Map<String, long[]> wordCounts = words();
        List<String> tokens = new ArrayList<>(List.of(config.specialTokens()));
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.putIfAbsent(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("special token " + tokens.get(i) + " is named twice");
            }
        }
        List<String> distinct = new ArrayList<>(wordCounts.keySet());
        distinct.sort(null);
        // As Hugging Face's trainer: every character as itself, and as ##c where it follows another.
        TreeSet<Integer> alphabet = new TreeSet<>();
        TreeSet<Integer> inner = new TreeSet<>();
        for (String word : distinct) {
            word.codePoints().forEach(alphabet::add);
            word.codePoints().skip(1).forEach(inner::add);
        }
        alphabet.forEach(cp -> add(Character.toString(cp), tokens, ids));
        inner.forEach(cp -> add(WordPieceConfig.CONTINUATION + Character.toString(cp), tokens, ids));
        if (tokens.size() > vocabSize) {
            throw new IllegalArgumentException("a vocabulary of " + vocabSize + " has no room for the " + config.specialTokens().length
                    + " special tokens and the text's " + (tokens.size() - config.specialTokens().length)
                    + " characters (as word starts and ## continuations); ask for at least " + tokens.size());
        }
        int[][] words = new int[distinct.size()][];
        long[] frequency = new long[distinct.size()];
        for (int w = 0; w < words.length; w++) {
            String word = distinct.get(w);
            int[] cps = word.codePoints().toArray();
            int[] sym = new int[cps.length];
            for (int i = 0; i < cps.length; i++) {
                String c = Character.toString(cps[i]);
                sym[i] = ids.get(i == 0 ? c : WordPieceConfig.CONTINUATION + c);
            }
            words[w] = sym;
            frequency[w] = wordCounts.get(word)[0];
        }
        PairMerging merging = new PairMerging(words, frequency);
        while (tokens.size() < vocabSize) {
            int[] best = merging.best();
            if (best == null) {
                break;
            }
            String right = tokens.get(best[1]);
            String joined = tokens.get(best[0]) + right.substring(WordPieceConfig.CONTINUATION.length());
            Integer existing = ids.get(joined);
            int z = existing != null ? existing : add(joined, tokens, ids);
            merging.merge(best[0], best[1], z);
            if (progress != null) {
                progress.merged(tokens.size(), vocabSize);
            }
        }
        return new WordPieceTokenizer(tokens, config);
    }

    /** The pre-tokeniser's words with their counts, from the counted chunks. */
    private Map<String, long[]> words() {
        Map<String, long[]> counts = new HashMap<>();
        chunkCounts.forEach((chunk, n) -> {
            char[] s = chunk.toCharArray();
            basic.words(s, 0, s.length, (w, from, to) -> counts.computeIfAbsent(new String(w, from, to - from), k -> new long[1])[0] += n[0]);
        });
        return counts;
    }

    private static int add(String token, List<String> tokens, Map<String, Integer> ids) {
        Integer existing = ids.putIfAbsent(token, tokens.size());
        if (existing != null) {
            return existing;
        }
        tokens.add(token);
        return tokens.size() - 1;
    }
}
