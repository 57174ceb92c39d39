package org.gpt4j.finetune.instruct;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * A GPT ready for instruction tuning: the base's weights, its vocabulary grown by the chat
 * template's four tokens (new {@code wte} rows drawn N(0, 0.02), GPT-2's embedding
 * initialisation, as GPT-1's added tokens are), and the tokenizer and template that know them.
 * No head: the loss is the language model's own, on the assistant's tokens.
 */
public record InstructionModel(Gpt gpt, ChatTemplate template) {

    public InstructionModel {
        int v = gpt.config().vocabSize();
        if (template.tokenizer().vocabSize() != v) {
            throw new IllegalArgumentException("the tokenizer has " + template.tokenizer().vocabSize()
                    + " tokens but the model's vocabulary has " + v);
        }
    }

    public Tokenizer tokenizer() {
        return template.tokenizer();
    }

    /**
     * The model to tune from a base GPT and its tokenizer. A base that already holds the template
     * (an instruction-tuned model, tuned further) is copied as it is. The base is left unchanged.
     *
     * @throws IllegalArgumentException when the base's vocabulary and its tokenizer's differ in size
     */
    public static InstructionModel fromBase(Gpt base, Tokenizer baseTokenizer, long seed) {
        GptConfig c = base.config();
        int v0 = c.vocabSize();
        if (baseTokenizer.vocabSize() != v0) {
            throw new IllegalArgumentException("the model's vocabulary has " + v0 + " rows but its tokenizer "
                    + baseTokenizer.vocabSize() + " tokens; instruction tuning adds its tokens after both, so they must agree");
        }
        Tokenizer tokenizer = ChatTemplate.addTo(baseTokenizer);
        int v = tokenizer.vocabSize();
        GptConfig grown = new GptConfig(c.nLayer(), c.nHead(), c.nEmbd(), c.nPositions(), v, c.nInner(),
                c.layerNormEpsilon(), c.activation(), c.positionalEncoding(), c.layerNorm(), c.dropout());
        Map<String, float[]> values = new HashMap<>();
        for (ParameterSpec s : base.parameters().specs()) {
            values.put(s.name(), base.parameters().data(s.name()).clone());
        }
        float[] wte = Arrays.copyOf(values.get("wte.weight"), v * c.nEmbd());
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = v0 * c.nEmbd(); i < wte.length; i++) {
            wte[i] = (float) (0.02 * rng.nextGaussian());
        }
        values.put("wte.weight", wte);
        return new InstructionModel(new Gpt(grown, Parameters.of(ParameterLayout.of(grown), values)),
                ChatTemplate.of(tokenizer));
    }
}
