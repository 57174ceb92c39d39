package org.gpt4j.fewshot;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Assembles a few-shot prompt: each demonstration rendered by the template and followed by its
 * answer, then the separator (a blank line by default), and finally the question rendered by the
 * template, with no answer. The whole text is tokenized at once, so the ids are the ones the
 * model would read in running text (a byte-level BPE splits a blank line before a word
 * differently from a blank line alone).
 *
 * <p>Fitting the context: the prompt plus the longest answer minus its last token must fit
 * {@code n_positions}. Whole demonstrations are dropped first, oldest (leftmost) first; if the
 * question alone is still too long its first tokens are cut.
 */
final class PromptBuilder {

    private final Tokenizer tokenizer;
    private final PromptTemplate template;
    private final String separator;
    private final List<FewShotExample> train;
    private final int context;

    PromptBuilder(Tokenizer tokenizer, PromptTemplate template, String separator, List<FewShotExample> train, int context) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.separator = separator;
        this.train = train;
        this.context = context;
    }

    /**
     * @param question the question's rendered text
     * @param longestAnswer the longest candidate answer, in tokens
     * @param mayDrop whether demonstrations may be dropped to fit (false: cut tokens instead, so
     *     that a content-free prompt keeps exactly the demonstrations of the prompt it calibrates)
     */
    Prompt build(int[] demonstrations, String question, int longestAnswer, boolean mayDrop, String source) {
        int budget = context - (longestAnswer - 1);
        if (budget < 1) {
            throw new IllegalArgumentException(source + ": an answer of " + longestAnswer + " tokens does not fit the context of "
                    + context + " tokens");
        }
        int first = 0;
        while (true) {
            int[] ids = encode(demonstrations, first, question, source);
            if (ids.length <= budget || !mayDrop || first == demonstrations.length) {
                int cut = Math.max(0, ids.length - budget);
                if (cut > 0) {
                    ids = Arrays.copyOfRange(ids, cut, ids.length);
                }
                return new Prompt(ids, Arrays.copyOfRange(demonstrations, first, demonstrations.length), first, cut);
            }
            first++;
        }
    }

    /** The question rendered by the template. */
    String question(Map<String, String> fields) {
        return template.render(fields);
    }

    private int[] encode(int[] demonstrations, int first, String question, String source) {
        StringBuilder b = new StringBuilder();
        for (int i = first; i < demonstrations.length; i++) {
            FewShotExample d = train.get(demonstrations[i]);
            b.append(template.render(d.fields())).append(d.answer()).append(separator);
        }
        b.append(question);
        int[] ids;
        try {
            ids = tokenizer.encode(b.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": cannot tokenize the prompt: " + e.getMessage(), e);
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException(source + ": the prompt is empty (the template renders nothing for this example)");
        }
        return ids;
    }
}
