package org.gpt4j.finetune.instruct;

import java.util.SplittableRandom;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.GptConfig;
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
        Gpt gpt = GptInit.withAddedTokens(base, tokenizer.vocabSize() - v0, new SplittableRandom(seed));
        return new InstructionModel(gpt, ChatTemplate.of(tokenizer));
    }
}
