package org.gpt4j.inspect;

import java.util.Arrays;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;

/** Runs the model's one forward pass over a sequence with the trace read out. */
public final class Inspector {

    private Inspector() {
    }

    public static Inspection inspect(Gpt gpt, int[] tokens) {
        int t = tokens.length;
        if (t == 0) {
            throw new IllegalArgumentException("give at least one token");
        }
        // Each position predicts the next token; the last has nothing to predict.
        int[] targets = new int[t];
        for (int i = 0; i < t - 1; i++) {
            targets[i] = tokens[i + 1];
        }
        targets[t - 1] = -1;
        ForwardResult result = gpt.forward(tokens, targets, 1, t);
        float[] logits = Arrays.copyOf(result.logits(), t * result.vocabSize());
        Float loss = t > 1 ? result.loss() : null;
        return new Inspection(tokens.clone(), result.vocabSize(), logits, loss, gpt.trace());
    }
}
