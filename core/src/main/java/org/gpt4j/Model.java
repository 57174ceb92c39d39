package org.gpt4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.gpt4j.generate.FinishReason;
import org.gpt4j.generate.GeneratedSequence;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.Generator;
import org.gpt4j.generate.NonFiniteLogitsException;
import org.gpt4j.generate.TextStreamer;
import org.gpt4j.generate.TokenListener;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * A loaded GPT and its tokenizer, as {@link Gpt4j#load} returns it: tokenize text, generate a
 * continuation with a {@link GenerationConfig} (greedy, sampling or beam search, with Hugging
 * Face's meanings), and stream the text as it is generated.
 *
 * <p>Generation stops at {@code maxNewTokens}, at a stop string, or at the config's end-of-sequence
 * token; when the config names none, at the tokenizer's {@code <|endoftext|>} if the vocabulary has
 * one (as {@code gpt4j generate} does). A model directory without tokenizer files generates from
 * token ids only ({@link #generate(int[], GenerationConfig, TokenListener)}).
 *
 * <p>One generation runs at a time: the model's buffers are shared, so concurrent calls wait.
 */
public final class Model {

    private final Path directory;
    private final Gpt gpt;
    private final Tokenizer tokenizer;
    private final Generator generator;

    Model(Path directory, Gpt gpt, Tokenizer tokenizer) {
        this.directory = directory;
        this.gpt = gpt;
        this.tokenizer = tokenizer;
        this.generator = new Generator(gpt, tokenizer == null ? null : tokenizer::tokenBytes);
    }

    /** The directory the model was loaded from. */
    public Path directory() {
        return directory;
    }

    /** The transformer itself: its config, parameters and forward pass. */
    public Gpt gpt() {
        return gpt;
    }

    /** The directory's tokenizer; empty when it holds no tokenizer files. */
    public Optional<Tokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** The token ids of {@code text} (special-token strings are ordinary text). */
    public int[] tokenize(String text) {
        return requireTokenizer().encode(text);
    }

    /** The text of token ids. */
    public String decode(int[] ids) {
        return requireTokenizer().decode(ids);
    }

    /**
     * The continuation of {@code prompt} (without the prompt; the first sequence when the config
     * asks for several).
     *
     * @throws IllegalArgumentException when the prompt is empty or the model has no tokenizer
     */
    public String generate(String prompt, GenerationConfig config) {
        return generate(prompt, config, text -> { });
    }

    /**
     * As {@link #generate(String, GenerationConfig)}, handing each piece of text to {@code onText}
     * as soon as it is generated (never half a UTF-8 character). Beam search settles its text only
     * at the end, so it cannot stream: it is refused here.
     */
    public String generate(String prompt, GenerationConfig config, Consumer<String> onText) {
        if (config.beamSearch()) {
            throw new IllegalArgumentException("beam search settles its tokens only at the end and cannot stream: "
                    + "use generate(int[], GenerationConfig, TokenListener) with TokenListener.NONE");
        }
        int[] ids = tokenize(prompt);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one character");
        }
        GenerationConfig c = withEndOfText(config);
        TextStreamer streamer = new TextStreamer(tokenizer, c.eosTokenId(), onText);
        TokenListener first = new TokenListener() {
            @Override
            public void onToken(int sequence, int id) {
                if (sequence == 0) {
                    streamer.onToken(sequence, id);
                }
            }

            @Override
            public void onEnd(int sequence, FinishReason reason) {
                if (sequence == 0) {
                    streamer.onEnd(sequence, reason);
                }
            }
        };
        int[] tokens = generate(ids, c, first).get(0).tokens();
        int n = tokens.length;
        if (n > 0 && c.eosTokenId().isPresent() && tokens[n - 1] == c.eosTokenId().getAsInt()) {
            n--;
        }
        return tokenizer.decode(Arrays.copyOf(tokens, n));
    }

    /**
     * Generates from token ids: the new tokens of each sequence ({@code numReturnSequences} of
     * them), with their score and why each stopped. {@code listener} hears every token as it is
     * chosen ({@link TokenListener#NONE} for none).
     *
     * @throws IllegalStateException when the model produces NaN or infinite scores
     */
    public synchronized List<GeneratedSequence> generate(int[] prompt, GenerationConfig config, TokenListener listener) {
        try {
            return generator.generate(prompt, withEndOfText(config), listener, 0);
        } catch (NonFiniteLogitsException e) {
            throw new IllegalStateException(directory + ": " + e.getMessage(), e);
        }
    }

    /** The config with the tokenizer's {@code <|endoftext|>} as end of sequence when it names none. */
    private GenerationConfig withEndOfText(GenerationConfig config) {
        if (config.eosTokenId().isPresent() || tokenizer == null) {
            return config;
        }
        OptionalInt eos = tokenizer.endOfTextId();
        return eos.isPresent() && eos.getAsInt() < gpt.config().vocabSize()
                ? config.toBuilder().eosTokenId(eos).build()
                : config;
    }

    private Tokenizer requireTokenizer() {
        if (tokenizer == null) {
            throw new IllegalArgumentException(directory + " holds no tokenizer (vocab.json + merges.txt, tokenizer.json"
                    + " or a char vocabulary): generate from token ids instead");
        }
        return tokenizer;
    }
}
