/**
 * Functional correctness of generated code, as Codex measures it: each sample runs against the
 * problem's unit tests in a sandboxed {@code python3} process ({@link org.gpt4j.evaluate.code.Sandbox}),
 * and pass@k is estimated without bias from n samples per problem ({@link org.gpt4j.evaluate.code.PassAtK}).
 * Problems come in HumanEval's format ({@code task_id, prompt, entry_point, test}) or MBPP's
 * ({@code task_id, text, code, test_list, test_setup_code}); samples in human-eval's
 * ({@code task_id, completion}).
 */
package org.gpt4j.evaluate.code;
