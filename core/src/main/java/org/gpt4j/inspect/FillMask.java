package org.gpt4j.inspect;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInput;
import org.gpt4j.model.BertOutput;

/**
 * Hugging Face's fill-mask pipeline on token ids: the MLM head's most probable tokens at every
 * {@code [MASK]} of the input, with their softmax probabilities. The head runs at the masked
 * positions only.
 */
public final class FillMask {

    /**
     * The candidates for one masked position.
     *
     * @param sequence   the batch row
     * @param position   the position in that row
     * @param candidates most probable first
     */
    public record MaskPrediction(int sequence, int position, List<TopTokens.Candidate> candidates) {
    }

    private FillMask() {
    }

    /**
     * The {@code topK} candidates at each position of {@code in} that holds {@code maskId}, in
     * batch order.
     *
     * @throws IllegalArgumentException when no position holds {@code maskId}, or topK < 1
     */
    public static List<MaskPrediction> predict(Bert bert, BertInput in, int maskId, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be at least 1, got " + topK);
        }
        int[] tokens = in.tokens();
        int count = 0;
        for (int id : tokens) {
            count += id == maskId ? 1 : 0;
        }
        if (count == 0) {
            throw new IllegalArgumentException("the input holds no [MASK] token (id " + maskId + ") to fill");
        }
        int[] positions = new int[count];
        for (int i = 0, k = 0; i < tokens.length; i++) {
            if (tokens[i] == maskId) {
                positions[k++] = i;
            }
        }
        BertOutput out = bert.predict(in, positions);
        int v = bert.config().vocabSize();
        List<MaskPrediction> predictions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            predictions.add(new MaskPrediction(positions[i] / in.length(), positions[i] % in.length(),
                    TopTokens.of(out.mlmLogits(), i * v, v, Math.min(topK, v))));
        }
        return predictions;
    }
}
