package org.gpt4j.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The baseline a fine-tuned GPT has to beat: multinomial Naive Bayes over binary bag-of-words
 * features (Wang and Manning 2012's "MNB" with binarised counts), unigrams and bigrams of the
 * lower-cased, whitespace-split text (each CJK character a word of its own), add-one (Laplace)
 * smoothing, class priors from the training counts.
 *
 * <p>Binarised features count each n-gram once per document: for short texts such as SST-2's
 * sentences this beats raw counts, and it is the form the published NB baselines use. Words are
 * split on whitespace only because the benchmark files (SST-2, TREC, RTE) are already tokenised;
 * a pair task's second text gets its own feature space (prefix {@code "b:"}), so "not" in a
 * hypothesis is not the same feature as in the premise.
 *
 * <p>Prediction is the arg-max of {@code log P(c) + sum over the document's distinct known
 * n-grams f of log P(f | c)}; n-grams never seen in training are skipped, as they carry the same
 * smoothed probability under every class up to the class's normaliser, which standard MNB keeps
 * out of the sum.
 */
public final class NaiveBayesBaseline {

    private final int classes;
    private final double[] logPrior;
    private final Map<String, double[]> logLikelihood;

    private NaiveBayesBaseline(int classes, double[] logPrior, Map<String, double[]> logLikelihood) {
        this.classes = classes;
        this.logPrior = logPrior;
        this.logLikelihood = logLikelihood;
    }

    /**
     * Fits the model.
     *
     * @param texts    each training document (for a pair task: the first text)
     * @param pairs    each document's second text, or null for single-text tasks
     * @param labels   each document's class id in {@code [0, classes)}
     */
    public static NaiveBayesBaseline fit(List<String> texts, List<String> pairs, int[] labels, int classes) {
        if (texts.size() != labels.length || (pairs != null && pairs.size() != labels.length)) {
            throw new IllegalArgumentException("one label per text is needed");
        }
        if (texts.isEmpty() || classes < 2) {
            throw new IllegalArgumentException("Naive Bayes needs examples of at least 2 classes");
        }
        Map<String, long[]> counts = new HashMap<>();
        long[] docs = new long[classes];
        long[] featureTotals = new long[classes];
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            docs[c]++;
            for (String f : features(texts.get(i), pairs == null ? null : pairs.get(i))) {
                counts.computeIfAbsent(f, k -> new long[classes])[c]++;
                featureTotals[c]++;
            }
        }
        int vocabulary = counts.size();
        double[] logPrior = new double[classes];
        for (int c = 0; c < classes; c++) {
            // A class absent from training can never win, but must not make the sum NaN.
            logPrior[c] = docs[c] == 0 ? Double.NEGATIVE_INFINITY : Math.log((double) docs[c] / labels.length);
        }
        Map<String, double[]> logLikelihood = new HashMap<>(counts.size() * 2);
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            double[] l = new double[classes];
            for (int c = 0; c < classes; c++) {
                l[c] = Math.log((e.getValue()[c] + 1.0) / (featureTotals[c] + vocabulary));
            }
            logLikelihood.put(e.getKey(), l);
        }
        return new NaiveBayesBaseline(classes, logPrior, logLikelihood);
    }

    /** The most probable class of one document (ties go to the lower class id). */
    public int predict(String text, String pair) {
        double[] score = logPrior.clone();
        for (String f : features(text, pair)) {
            double[] l = logLikelihood.get(f);
            if (l != null) {
                for (int c = 0; c < classes; c++) {
                    score[c] += l[c];
                }
            }
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (score[c] > score[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Distinct features seen in training. */
    public int vocabularySize() {
        return logLikelihood.size();
    }

    /** The distinct unigrams and bigrams of a document (binarised: each once). */
    static Set<String> features(String text, String pair) {
        Set<String> out = new LinkedHashSet<>();
        addNgrams(out, text, "");
        if (pair != null) {
            addNgrams(out, pair, "b:");
        }
        return out;
    }

    /**
     * Whitespace-separated words, lower-cased; each Han, Hiragana, Katakana or Hangul character is
     * a word of its own, since those scripts put no spaces between words (character n-grams are
     * the usual bag-of-words features for Chinese).
     */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || isCjk(cp)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                if (isCjk(cp)) {
                    words.add(Character.toString(cp));
                }
            } else {
                word.appendCodePoint(cp);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }

    private static void addNgrams(Set<String> out, String text, String prefix) {
        List<String> words = words(text);
        for (int i = 0; i < words.size(); i++) {
            out.add(prefix + words.get(i));
            if (i + 1 < words.size()) {
                // A space cannot occur inside a word, so the joined bigram cannot collide with a unigram.
                out.add(prefix + words.get(i) + " " + words.get(i + 1));
            }
        }
    }
}
