package org.gpt4j.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The finished hypotheses of a beam search: at most num_beams, best kept, with Hugging Face's
 * scoring ({@code BeamHypotheses}, transformers 4.36+): sum(log p) / generated_length^length_penalty,
 * where the generated length counts the end-of-sequence token.
 */
final class BeamHypotheses {

    /** A finished hypothesis: its new tokens (without EOS) and its length-normalised score. */
    record Hypothesis(int[] tokens, double score, boolean endedWithEos) {
    }

    private final int numBeams;
    private final double lengthPenalty;
    private final EarlyStopping earlyStopping;
    private final int maxNewTokens;
    private final List<Hypothesis> beams = new ArrayList<>();
    private double worstScore = 1e9;

    BeamHypotheses(int numBeams, double lengthPenalty, EarlyStopping earlyStopping, int maxNewTokens) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
        this.maxNewTokens = maxNewTokens;
    }

    /** Offers a hypothesis; it stays if there is room or it beats the worst one kept. */
    void add(int[] tokens, double sumLogProbs, int generatedLength, boolean endedWithEos) {
        double score = sumLogProbs / StrictMath.pow(generatedLength, lengthPenalty);
        if (beams.size() < numBeams || score > worstScore) {
            beams.add(new Hypothesis(tokens, score, endedWithEos));
            if (beams.size() > numBeams) {
                // Drop the worst (the first of equals, as Python's sort of (score, index) pairs).
                int worst = 0;
                for (int i = 1; i < beams.size(); i++) {
                    if (beams.get(i).score() < beams.get(worst).score()) {
                        worst = i;
                    }
                }
                beams.remove(worst);
                worstScore = beams.stream().mapToDouble(Hypothesis::score).min().orElseThrow();
            } else {
                worstScore = Math.min(score, worstScore);
            }
        }
    }

    /**
     * Whether no running beam can still improve the kept hypotheses, given the best running
     * sum of log-probabilities and the generated length it would have.
     */
    boolean isDone(double bestSumLogProbs, int generatedLength) {
        if (beams.size() < numBeams) {
            return false;
        }
        return switch (earlyStopping) {
            case TRUE -> true;
            case FALSE -> worstScore >= bestSumLogProbs / StrictMath.pow(generatedLength, lengthPenalty);
            // The best score a beam can still reach: with a positive penalty, at the longest length.
            case NEVER -> worstScore >= bestSumLogProbs
                    / StrictMath.pow(lengthPenalty > 0 ? maxNewTokens : generatedLength, lengthPenalty);
        };
    }

    /** The best {@code n}, best first; on equal scores the later-added first (as Hugging Face). */
    List<Hypothesis> best(int n) {
        List<Hypothesis> sorted = new ArrayList<>(beams);
        sorted.sort(Comparator.comparingDouble(Hypothesis::score)); // stable, as Python's sorted
        List<Hypothesis> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sorted.removeLast());
        }
        return out;
    }
}
