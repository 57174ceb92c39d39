package org.gpt4j.generate;

/**
 * One stage of Hugging Face's logits processing: rewrites the next-token scores of one sequence,
 * knowing the tokens so far (prompt included). A removed token gets {@code -inf}.
 */
public interface LogitsProcessor {

    /** The Hugging Face parameter this stage implements, e.g. {@code top_p} (the timeline's column). */
    String name();

    /** Rewrites {@code scores} (one per vocabulary id) given {@code ids[0 .. length)}. */
    void process(int[] ids, int length, float[] scores);
}
