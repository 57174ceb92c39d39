package org.gpt4j.generate;

import java.util.ArrayList;
import java.util.List;

/** The processors a config asks for, in Hugging Face's order. */
public final class LogitsProcessors {

    private LogitsProcessors() {
    }

    /**
     * Penalties first (every mode), then the sampling warpers: temperature, top_k, top_p, min_p,
     * typical_p. Stages at their neutral value are left out.
     */
    public static List<LogitsProcessor> of(GenerationConfig c) {
        List<LogitsProcessor> out = new ArrayList<>();
        if (c.repetitionPenalty() != 1.0) {
            out.add(new RepetitionPenalty(c.repetitionPenalty()));
        }
        if (c.noRepeatNgramSize() > 0) {
            out.add(new NoRepeatNGram(c.noRepeatNgramSize()));
        }
        if (c.doSample()) {
            if (c.temperature() != 1.0) {
                out.add(new Temperature(c.temperature()));
            }
            if (c.topK() > 0) {
                out.add(new TopK(c.topK()));
            }
            if (c.topP() < 1.0) {
                out.add(new TopP(c.topP()));
            }
            if (c.minP() > 0) {
                out.add(new MinP(c.minP()));
            }
            if (c.typicalP() < 1.0) {
                out.add(new TypicalP(c.typicalP()));
            }
        }
        return List.copyOf(out);
    }
}
