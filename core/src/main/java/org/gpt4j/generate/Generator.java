package org.gpt4j.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.gpt4j.model.Gpt;
import org.gpt4j.tensor.SoftmaxKernel;

/**
 * Continues a prompt: predict a distribution, process it, choose a token, append, repeat. The
 * prompt is read in one batched pass, then each token through the KV cache of the one forward
 * pass; past n_positions the oldest tokens slide out (see {@link ContextWindow}).
 *
 * <p>Greedy and sampling run here, beam search in {@link BeamSearch}. The K sequences of
 * {@code num_return_sequences} are sampled one after another from one random stream seeded by
 * the config, so one seed gives one text.
 */
public final class Generator {

    private final Gpt gpt;
    private final IntFunction<byte[]> tokenBytes;

    /** A generator over ids only (no stop strings). */
    public Generator(Gpt gpt) {
        this(gpt, null);
    }

    /** A generator that can match stop strings, given each token's bytes (a tokenizer's). */
    public Generator(Gpt gpt, IntFunction<byte[]> tokenBytes) {
        this.gpt = gpt;
        this.tokenBytes = tokenBytes;
    }

    /** The new tokens of each returned sequence, without streaming. */
    public List<GeneratedSequence> generate(int[] prompt, GenerationConfig config) {
        return generate(prompt, config, TokenListener.NONE, 0);
    }

    /**
     * Generates, telling {@code listener} each token as it is chosen and, when
     * {@code candidates > 0}, each step's timeline of that many top candidates.
     *
     * @throws IllegalArgumentException for an empty prompt, ids outside the vocabulary, an EOS
     *         outside it, stop strings without token bytes, or streaming with beam search
     */
    public List<GeneratedSequence> generate(int[] prompt, GenerationConfig config, TokenListener listener,
            int candidates) {
        validate(prompt, config, listener, candidates);
        if (config.beamSearch()) {
            return new BeamSearch(gpt, config).run(prompt);
        }
        List<LogitsProcessor> processors = LogitsProcessors.of(config);
        Sampler sampler = config.doSample() ? Sampler.categorical(new SplittableRandom(config.seed())) : Sampler.greedy();
        List<GeneratedSequence> out = new ArrayList<>();
        for (int s = 0; s < config.numReturnSequences(); s++) {
            out.add(sample(s, prompt, config, processors, sampler, listener, candidates));
        }
        return out;
    }

    private GeneratedSequence sample(int sequence, int[] prompt, GenerationConfig config,
            List<LogitsProcessor> processors, Sampler sampler, TokenListener listener, int candidates) {
        int v = gpt.config().vocabSize();
        int p = prompt.length;
        // Sized for what is generated, not for max_new_tokens, which may be any int.
        int[] ids = java.util.Arrays.copyOf(prompt, room(p, config.maxNewTokens()));
        int length = p;
        StopStrings stops = config.stopStrings().isEmpty() ? null : new StopStrings(config.stopStrings(), tokenBytes);
        Timeline timeline = candidates > 0 ? new Timeline(candidates) : null;
        ContextWindow window = new ContextWindow(gpt, 1);
        float[] logits = window.prefill(new int[][] {prompt});
        double logProbability = 0;
        FinishReason reason = FinishReason.LENGTH;
        for (int step = 0; step < config.maxNewTokens(); step++) {
            float[] scores = logits.clone();
            if (timeline != null) {
                timeline.start(scores);
            }
            for (LogitsProcessor processor : processors) {
                processor.process(ids, length, scores);
                if (timeline != null) {
                    timeline.after(processor.name(), scores);
                }
            }
            int id = sampler.choose(scores);
            logProbability += logits[id] - SoftmaxKernel.logSumExp(logits, 0, v);
            if (length == ids.length) {
                ids = grow(ids);
            }
            ids[length++] = id;
            if (timeline != null) {
                listener.onStep(sequence, timeline.finish(step, id));
            }
            listener.onToken(sequence, id);
            if (config.isEos(id)) {
                reason = FinishReason.EOS;
                break;
            }
            if (stops != null && stops.accept(id)) {
                reason = FinishReason.STOP_STRING;
                break;
            }
            if (step + 1 < config.maxNewTokens()) {
                logits = window.append(new int[] {id});
            }
        }
        listener.onEnd(sequence, reason);
        return new GeneratedSequence(java.util.Arrays.copyOfRange(ids, p, length), logProbability, reason);
    }

    /** Tokens a sequence has room for beyond its prompt before its buffer first grows. */
    static final int INITIAL_ROOM = 256;

    /** The first buffer size for a prompt of {@code p} tokens: room for a few new ones. */
    static int room(int p, int maxNewTokens) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) p + Math.min(maxNewTokens, INITIAL_ROOM));
    }

    /** {@code ids} with room for twice as many (up to the largest Java array). */
    static int[] grow(int[] ids) {
        int max = Integer.MAX_VALUE - 8;
        if (ids.length >= max) {
            throw new IllegalStateException("a sequence of " + ids.length + " tokens is the longest one Java array holds");
        }
        return java.util.Arrays.copyOf(ids, (int) Math.min(max, 2L * ids.length));
    }

    private void validate(int[] prompt, GenerationConfig config, TokenListener listener, int candidates) {
        int v = gpt.config().vocabSize();
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= v) {
                throw new IllegalArgumentException("prompt token " + prompt[i] + " at position " + i
                        + " is outside the vocabulary (vocab_size = " + v + ")");
            }
        }
        if (config.eosTokenId().isPresent() && config.eosTokenId().getAsInt() >= v) {
            throw new IllegalArgumentException("eos_token_id " + config.eosTokenId().getAsInt()
                    + " is outside the vocabulary (vocab_size = " + v + ")");
        }
        for (int id : config.moreEosTokenIds()) {
            if (id >= v) {
                throw new IllegalArgumentException("eos_token_id " + id + " is outside the vocabulary (vocab_size = " + v + ")");
            }
        }
        if (!config.stopStrings().isEmpty() && tokenBytes == null) {
            throw new IllegalArgumentException("stop_strings need a tokenizer to read the generated text");
        }
        if (candidates < 0) {
            throw new IllegalArgumentException("candidates must be >= 0, got " + candidates);
        }
        if (config.beamSearch() && (listener != TokenListener.NONE || candidates > 0)) {
            throw new IllegalArgumentException("streaming and the candidate timeline need num_beams = 1: "
                    + "beam search settles its tokens only at the end");
        }
    }
}
