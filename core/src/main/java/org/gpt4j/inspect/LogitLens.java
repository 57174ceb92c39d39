package org.gpt4j.inspect;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.Trace;

/**
 * The logit lens (nostalgebraist, 2020): what the model would predict at one position if the
 * stack stopped after each block, read from each hidden state through the model's own final
 * LayerNorm and unembedding ({@link Gpt#logitLens}). The last entry is the real prediction.
 */
public final class LogitLens {

    private LogitLens() {
    }

    /**
     * For each of the n_layer + 1 hidden states of {@code inspection} (embedding first), the k
     * most probable next tokens at {@code position}.
     */
    public static List<List<TopTokens.Candidate>> read(Gpt gpt, Inspection inspection, int position, int k) {
        Trace trace = inspection.trace();
        java.util.Objects.checkIndex(position, inspection.length());
        int c = trace.nEmbd();
        int v = inspection.vocabSize();
        int states = trace.hiddenStates().length;
        List<List<TopTokens.Candidate>> out = new ArrayList<>(states);
        for (int i = 0; i < states - 1; i++) {
            float[] logits = gpt.logitLens(trace.hiddenStates()[i], position * c, 1);
            out.add(TopTokens.of(logits, 0, v, Math.min(k, v)));
        }
        // The last hidden state already passed the final LayerNorm: its reading is the model's logits.
        out.add(TopTokens.of(inspection.logits(), position * v, v, Math.min(k, v)));
        return out;
    }
}
