package org.gpt4j.generate;

import java.util.OptionalInt;
import java.util.function.Consumer;
import org.gpt4j.tokenizer.IncrementalDecoder;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Turns streamed tokens into text deltas (as Hugging Face's TextStreamer): each delta is passed on
 * as soon as it is known and never holds half a UTF-8 character; the end-of-text token prints
 * nothing. One decoder per sequence, so sampled sequences stream one after another.
 */
public final class TextStreamer implements TokenListener {

    private final Tokenizer tokenizer;
    private final OptionalInt eos;
    private final Consumer<String> out;
    private IncrementalDecoder decoder;
    private int sequence = -1;

    public TextStreamer(Tokenizer tokenizer, OptionalInt eos, Consumer<String> out) {
        this.tokenizer = tokenizer;
        this.eos = eos;
        this.out = out;
    }

    @Override
    public void onToken(int sequence, int id) {
        if (sequence != this.sequence) {
            decoder = tokenizer.newIncrementalDecoder();
            this.sequence = sequence;
        }
        if (eos.isPresent() && eos.getAsInt() == id) {
            return;
        }
        String delta = decoder.accept(id);
        if (!delta.isEmpty()) {
            out.accept(delta);
        }
    }

    @Override
    public void onEnd(int sequence, FinishReason reason) {
        if (decoder != null && sequence == this.sequence) {
            String rest = decoder.finish();
            if (!rest.isEmpty()) {
                out.accept(rest);
            }
        }
    }
}
