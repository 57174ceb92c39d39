package org.gpt4j.finetune.lora;

import java.util.List;
import java.util.Map;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;

/**
 * PEFT's TrainableTokens on the token embedding ({@code trainable_token_indices}): a few rows of
 * {@code wte} trained while the rest stays frozen (here GPT-1's start, delimiter, extract and pad
 * tokens, new rows the base has never seen). As PEFT does, the adapter holds the rows' values,
 * not differences ({@code trainable_tokens_delta [n, C]}), which replace the base's rows; the
 * tied unembedding reads the same rows, so their gradient comes from both ends of the GPT.
 */
public final class TrainableTokens {

    /** The tensor's name, PEFT's without {@code base_model.model.transformer.}. */
    public static final String VALUES = "wte.token_adapter.trainable_tokens_delta";

    private final int[] indices;
    private final int embd;
    private final Parameters parameters;

    private TrainableTokens(int[] indices, int embd, float[] values) {
        this.indices = indices.clone();
        this.embd = embd;
        this.parameters = Parameters.of(ParameterLayout.ofSpecs(List.of(new ParameterSpec(VALUES,
                new int[] {indices.length, embd}))), Map.of(VALUES, values));
    }

    /** The rows {@code indices} of the GPT's wte as they are now. */
    public static TrainableTokens of(Gpt gpt, int[] indices) {
        int c = gpt.config().nEmbd();
        float[] wte = gpt.parameters().data("wte.weight");
        check(indices, gpt.config().vocabSize());
        float[] values = new float[indices.length * c];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(wte, indices[i] * c, values, i * c, c);
        }
        return new TrainableTokens(indices, c, values);
    }

    /** Stored rows {@code [indices.length, embd]}. */
    public static TrainableTokens of(int[] indices, int embd, float[] values) {
        if (values.length != indices.length * embd) {
            throw new IllegalArgumentException("trainable tokens: " + values.length + " values for " + indices.length
                    + " rows of " + embd);
        }
        return new TrainableTokens(indices, embd, values);
    }

    private static void check(int[] indices, int vocab) {
        for (int id : indices) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("trainable token id " + id + " is outside the vocabulary (" + vocab + ")");
            }
        }
    }

    public int[] indices() {
        return indices.clone();
    }

    public Parameters parameters() {
        return parameters;
    }

    public float[] values() {
        return parameters.data(VALUES);
    }

    /** Copies the rows' gradient out of wte's (after a backward of the GPT). */
    public void gatherGradient(Gpt gpt) {
        float[] g = gpt.parameters().grad("wte.weight");
        float[] mine = parameters.grad(VALUES);
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(g, indices[i] * embd, mine, i * embd, embd);
        }
    }

    /** Writes the rows into the GPT's wte (PEFT's index_copy). */
    public void writeInto(Gpt gpt) {
        check(indices, gpt.config().vocabSize());
        if (gpt.config().nEmbd() != embd) {
            throw new IllegalArgumentException("trainable tokens are " + embd + " wide, the GPT's embedding "
                    + gpt.config().nEmbd());
        }
        float[] wte = gpt.parameters().data("wte.weight");
        float[] v = values();
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(v, i * embd, wte, indices[i] * embd, embd);
        }
    }
}
