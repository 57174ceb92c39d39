package org.gpt4j.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.model.Parameters;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * What a fine-tuning step updates, and how a checkpoint of it is written: every weight of the GPT
 * and the head (GPT-1, {@link #all}), or only what a parameter-efficient method trains (LoRA's
 * adapters, the head and the added tokens' embedding rows; org.gpt4j.finetune.lora).
 */
public interface TrainableWeights {

    /** The parameter sets AdamW updates and gradient clipping spans, as one model. */
    List<Parameters> parameters();

    /** After the backward, before clipping: gathers gradients held elsewhere (e.g. rows of wte). */
    default void afterBackward() {
    }

    /** After each optimiser step: writes what was updated back where the model reads it. */
    default void afterStep() {
    }

    /** Writes the model as trained so far into {@code dir}, each file replaced whole. */
    void save(Tokenizer tokenizer, Path dir) throws IOException;

    /** The number of values trained. */
    default long count() {
        long n = 0;
        for (Parameters p : parameters()) {
            n += p.layout().totalCount();
        }
        return n;
    }

    /** Full fine-tuning: the transformer and its head, saved as the model's task directory. */
    static TrainableWeights all(SequenceClassifier model) {
        return new TrainableWeights() {
            @Override
            public List<Parameters> parameters() {
                return model.parameters();
            }

            @Override
            public void save(Tokenizer tokenizer, Path dir) throws IOException {
                model.save(tokenizer, dir);
            }
        };
    }
}
