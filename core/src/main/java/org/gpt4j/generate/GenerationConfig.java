package org.gpt4j.generate;

import java.util.List;
import java.util.OptionalInt;

/**
 * How to continue a prompt, with the meanings of Hugging Face's {@code GenerationConfig}.
 *
 * <p>Decoding is greedy unless {@code doSample} (then the warpers temperature, top_k, top_p,
 * min_p and typical_p shape the distribution a token is drawn from) or {@code numBeams > 1}
 * (beam search over log-probabilities). The penalties apply in every mode. Processing order, as
 * in Hugging Face: repetition_penalty, no_repeat_ngram_size, temperature, top_k, top_p, min_p,
 * typical_p. A warper at its neutral value (temperature 1, top_k 0, top_p 1, min_p 0,
 * typical_p 1) is skipped. Defaults are Hugging Face's, including top_k = 50 when sampling.
 *
 * @param maxNewTokens       the most tokens to generate per sequence
 * @param doSample           draw tokens from the distribution instead of taking the most likely
 * @param temperature        divides the logits when sampling (> 0; below 1 sharpens)
 * @param topK               when sampling, keep the k most likely tokens (0 = off)
 * @param topP               when sampling, keep the smallest set of most likely tokens whose
 *                           probability reaches top_p (1 = off)
 * @param minP               when sampling, drop tokens less likely than min_p times the most
 *                           likely one (0 = off)
 * @param typicalP           when sampling, locally typical sampling with this mass (1 = off)
 * @param repetitionPenalty  divides positive (multiplies negative) scores of every token already
 *                           in the sequence, prompt included (1 = off)
 * @param noRepeatNgramSize  forbids repeating any n-gram of this size (0 = off)
 * @param numBeams           beams for beam search (1 = no beam search)
 * @param lengthPenalty      beam scores are sum(log p) / generated_length^length_penalty
 * @param earlyStopping      when beam search stops
 * @param numReturnSequences sequences to return: the best beams, or independent samples
 * @param stopStrings        generation stops once the text contains one of these (kept in
 *                           the output, as in Hugging Face)
 * @param eosTokenId         the end-of-sequence token: generation stops after it
 * @param moreEosTokenIds    further tokens that end a sequence as {@code eosTokenId} does (Hugging
 *                           Face's {@code eos_token_id} given as a list: this is the list after its
 *                           first entry, which beam search pads finished hypotheses with); empty
 *                           without {@code eosTokenId}
 * @param seed               seeds the sampler: one seed gives one text
 */
public record GenerationConfig(
        int maxNewTokens,
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        double minP,
        double typicalP,
        double repetitionPenalty,
        int noRepeatNgramSize,
        int numBeams,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int numReturnSequences,
        List<String> stopStrings,
        OptionalInt eosTokenId,
        List<Integer> moreEosTokenIds,
        long seed) {

    public GenerationConfig {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max_new_tokens must be positive, got " + maxNewTokens);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + temperature
                    + " (for the most likely token every step, use greedy decoding)");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 turns it off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min_p must be in [0, 1], got " + minP);
        }
        if (!(typicalP > 0 && typicalP <= 1)) {
            throw new IllegalArgumentException("typical_p must be in (0, 1], got " + typicalP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition_penalty must be a positive number, got " + repetitionPenalty);
        }
        if (noRepeatNgramSize < 0) {
            throw new IllegalArgumentException("no_repeat_ngram_size must be >= 0, got " + noRepeatNgramSize);
        }
        if (numBeams < 1) {
            throw new IllegalArgumentException("num_beams must be >= 1, got " + numBeams);
        }
        if (!Double.isFinite(lengthPenalty)) {
            throw new IllegalArgumentException("length_penalty must be a finite number, got " + lengthPenalty);
        }
        if (earlyStopping == null) {
            throw new IllegalArgumentException("early_stopping is required (true, false or never)");
        }
        if (numReturnSequences < 1) {
            throw new IllegalArgumentException("num_return_sequences must be >= 1, got " + numReturnSequences);
        }
        stopStrings = List.copyOf(stopStrings);
        if (stopStrings.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop_strings must not contain an empty string");
        }
        if (eosTokenId == null) {
            throw new IllegalArgumentException("eos_token_id must be present or empty, not null");
        }
        if (eosTokenId.isPresent() && eosTokenId.getAsInt() < 0) {
            throw new IllegalArgumentException("eos_token_id must be >= 0, got " + eosTokenId.getAsInt());
        }
        moreEosTokenIds = List.copyOf(moreEosTokenIds);
        if (!moreEosTokenIds.isEmpty() && eosTokenId.isEmpty()) {
            throw new IllegalArgumentException("more end-of-sequence ids need an eos_token_id first");
        }
        for (int id : moreEosTokenIds) {
            if (id < 0) {
                throw new IllegalArgumentException("eos_token_id entries must be >= 0, got " + id);
            }
        }
        if (numBeams > 1) {
            if (doSample) {
                throw new IllegalArgumentException("num_beams > 1 with do_sample (beam sampling) is not supported: "
                        + "choose beam search or sampling");
            }
            if (numReturnSequences > numBeams) {
                throw new IllegalArgumentException("num_return_sequences (" + numReturnSequences
                        + ") must be <= num_beams (" + numBeams + ")");
            }
            if (!stopStrings.isEmpty()) {
                throw new IllegalArgumentException("stop_strings are not supported with beam search (num_beams > 1)");
            }
        } else if (!doSample && numReturnSequences > 1) {
            throw new IllegalArgumentException("greedy decoding gives one sequence: num_return_sequences must be 1, got "
                    + numReturnSequences + " (sample or use beams)");
        }
    }

    /** Hugging Face's defaults: greedy, 20 new tokens, top_k 50 once sampling is switched on. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxNewTokens = maxNewTokens;
        b.doSample = doSample;
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.minP = minP;
        b.typicalP = typicalP;
        b.repetitionPenalty = repetitionPenalty;
        b.noRepeatNgramSize = noRepeatNgramSize;
        b.numBeams = numBeams;
        b.lengthPenalty = lengthPenalty;
        b.earlyStopping = earlyStopping;
        b.numReturnSequences = numReturnSequences;
        b.stopStrings = stopStrings;
        b.eosTokenId = eosTokenId;
        b.moreEosTokenIds = moreEosTokenIds;
        b.seed = seed;
        return b;
    }

    /** True when beam search decodes. */
    public boolean beamSearch() {
        return numBeams > 1;
    }

    /** True when {@code token} ends a sequence: the eos_token_id or one of the further ones. */
    public boolean isEos(int token) {
        return eosTokenId.isPresent() && (token == eosTokenId.getAsInt() || moreEosTokenIds.contains(token));
    }

    /** Fluent construction; {@link #build()} validates. */
    public static final class Builder {
        private int maxNewTokens = 20;
        private boolean doSample;
        private double temperature = 1.0;
        private int topK = 50;
        private double topP = 1.0;
        private double minP;
        private double typicalP = 1.0;
        private double repetitionPenalty = 1.0;
        private int noRepeatNgramSize;
        private int numBeams = 1;
        private double lengthPenalty = 1.0;
        private EarlyStopping earlyStopping = EarlyStopping.FALSE;
        private int numReturnSequences = 1;
        private List<String> stopStrings = List.of();
        private OptionalInt eosTokenId = OptionalInt.empty();
        private List<Integer> moreEosTokenIds = List.of();
        private long seed;

        private Builder() {
        }

        public Builder maxNewTokens(int v) { maxNewTokens = v; return this; }
        public Builder doSample(boolean v) { doSample = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder topP(double v) { topP = v; return this; }
        public Builder minP(double v) { minP = v; return this; }
        public Builder typicalP(double v) { typicalP = v; return this; }
        public Builder repetitionPenalty(double v) { repetitionPenalty = v; return this; }
        public Builder noRepeatNgramSize(int v) { noRepeatNgramSize = v; return this; }
        public Builder numBeams(int v) { numBeams = v; return this; }
        public Builder lengthPenalty(double v) { lengthPenalty = v; return this; }
        public Builder earlyStopping(EarlyStopping v) { earlyStopping = v; return this; }
        public Builder numReturnSequences(int v) { numReturnSequences = v; return this; }
        public Builder stopStrings(List<String> v) { stopStrings = v; return this; }
        public Builder eosTokenId(OptionalInt v) { eosTokenId = v; return this; }
        public Builder eosTokenId(int v) { eosTokenId = OptionalInt.of(v); return this; }

        /** Every id in {@code ids} ends a sequence (the first is eos_token_id); none when empty. */
        public Builder eosTokenIds(List<Integer> ids) {
            eosTokenId = ids.isEmpty() ? OptionalInt.empty() : OptionalInt.of(ids.getFirst());
            moreEosTokenIds = ids.isEmpty() ? List.of() : List.copyOf(ids.subList(1, ids.size()));
            return this;
        }

        public Builder seed(long v) { seed = v; return this; }

        public GenerationConfig build() {
            return new GenerationConfig(maxNewTokens, doSample, temperature, topK, topP, minP, typicalP,
                    repetitionPenalty, noRepeatNgramSize, numBeams, lengthPenalty, earlyStopping,
                    numReturnSequences, stopStrings, eosTokenId, moreEosTokenIds, seed);
        }
    }
}
