package org.gpt4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.generate.EarlyStopping;
import org.gpt4j.generate.GenerationConfig;
import picocli.CommandLine.Option;

/**
 * The decoding flags of {@code generate} and {@code chat}, with Hugging Face's meanings. Options
 * left out keep the defaults of the builder they are applied to; contradictions are errors.
 */
final class DecodingOptions {

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Tokens to generate at most (default 20, Hugging Face's; chat: 100).")
    Integer maxNewTokens;

    @Option(names = "--greedy", description = "Always take the most likely token (the default without sampling options).")
    boolean greedy;

    @Option(names = "--sample", description = "Sample (implied by any of the sampling options below).")
    boolean sample;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling: divide the logits by T (> 0; < 1 sharpens; default 1; chat: 0.8).")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sampling: keep the K most likely tokens (Hugging Face's default 50; chat: 40; 0 = off).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sampling: keep the smallest set of likely tokens holding probability P, in (0, 1] (default 1 = off; chat: 0.95).")
    Double topP;

    @Option(names = "--min-p", paramLabel = "P", description = "Sampling: drop tokens less likely than P x the most likely one (default 0 = off).")
    Double minP;

    @Option(names = "--typical-p", paramLabel = "P", description = "Sampling: locally typical sampling with mass P, in (0, 1] (default 1 = off).")
    Double typicalP;

    @Option(names = "--repetition-penalty", paramLabel = "X", description = "Penalise tokens already in the text (1 = off, the default; chat: 1.1; 1.1-1.3 is typical).")
    Double repetitionPenalty;

    @Option(names = "--no-repeat-ngram-size", paramLabel = "N", description = "Never repeat an N-gram (0 = off, the default).")
    Integer noRepeatNgramSize;

    @Option(names = "--beams", paramLabel = "N", description = "Beam search with N beams (default 1: no beam search).")
    Integer beams;

    @Option(names = "--length-penalty", paramLabel = "X", description = "Beam search: score = sum(log p) / length^X (default 1; > 0 favours longer).")
    Double lengthPenalty;

    @Option(names = "--early-stopping", paramLabel = "WHEN", description = "Beam search: true, false (default) or never, as Hugging Face.")
    String earlyStopping;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for sampling: one seed gives one text (default: random).")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop once the text contains TEXT (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--eos-token-id", paramLabel = "ID", description = "End-of-sequence token (default: the tokenizer's <|endoftext|>).")
    Integer eosTokenId;

    /** True when the flags ask for sampling. */
    boolean sampling() {
        return sample || temperature != null || topK != null || topP != null || minP != null || typicalP != null;
    }

    /** Applies the given flags to {@code b}, after checking they do not contradict each other. */
    GenerationConfig.Builder applyTo(GenerationConfig.Builder b) {
        List<String> samplingFlags = new ArrayList<>();
        addIf(samplingFlags, sample, "--sample");
        addIf(samplingFlags, temperature != null, "--temperature");
        addIf(samplingFlags, topK != null, "--top-k");
        addIf(samplingFlags, topP != null, "--top-p");
        addIf(samplingFlags, minP != null, "--min-p");
        addIf(samplingFlags, typicalP != null, "--typical-p");
        if (greedy && !samplingFlags.isEmpty()) {
            throw new IllegalArgumentException("--greedy contradicts " + String.join(", ", samplingFlags));
        }
        boolean beamSearch = beams != null && beams > 1;
        if (beamSearch && (greedy || !samplingFlags.isEmpty())) {
            throw new IllegalArgumentException("--beams does not combine with " + (greedy ? "--greedy" : String.join(", ", samplingFlags))
                    + ": beam search is deterministic (beam sampling is not supported)");
        }
        if (!beamSearch && (lengthPenalty != null || earlyStopping != null)) {
            throw new IllegalArgumentException((lengthPenalty != null ? "--length-penalty" : "--early-stopping")
                    + " applies to beam search: add --beams N (N > 1)");
        }
        if (greedy) {
            b.doSample(false);
        } else if (!samplingFlags.isEmpty()) {
            b.doSample(true);
        }
        if (maxNewTokens != null) {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
            }
            b.maxNewTokens(maxNewTokens);
        }
        if (temperature != null) b.temperature(temperature);
        if (topK != null) b.topK(topK);
        if (topP != null) b.topP(topP);
        if (minP != null) b.minP(minP);
        if (typicalP != null) b.typicalP(typicalP);
        if (repetitionPenalty != null) b.repetitionPenalty(repetitionPenalty);
        if (noRepeatNgramSize != null) b.noRepeatNgramSize(noRepeatNgramSize);
        if (beams != null) b.numBeams(beams);
        if (lengthPenalty != null) b.lengthPenalty(lengthPenalty);
        if (earlyStopping != null) b.earlyStopping(EarlyStopping.parse(earlyStopping));
        if (!stop.isEmpty()) b.stopStrings(stop);
        if (eosTokenId != null) b.eosTokenId(eosTokenId);
        b.seed(seed != null ? seed : System.nanoTime());
        return b;
    }

    private static void addIf(List<String> list, boolean condition, String flag) {
        if (condition) {
            list.add(flag);
        }
    }
}
