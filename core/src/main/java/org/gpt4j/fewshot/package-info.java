/**
 * Zero- and few-shot prompting, GPT-2 and GPT-3's way of adapting a pre-trained model without a
 * gradient step: the task and K solved examples go in the prompt, and the answer is the candidate
 * the model finds most likely after it.
 *
 * <p>Rules that hold across the package:
 * <ul>
 *   <li><b>One forward pass.</b> Scores come from {@code Gpt.forward} with a {@code KvCache}, the
 *       pass generation uses; nothing here computes a layer.
 *   <li><b>Determinism.</b> The seed alone fixes the demonstrations (one permutation of the
 *       training file, {@link org.gpt4j.fewshot.Demonstrations}); scoring is deterministic.
 *       A question never sees a training example with its own input.
 *   <li><b>Tokens as in running text.</b> A prompt is tokenized as one string, then each answer on
 *       its own and appended (as lm-evaluation-harness and GPT-3 do). Templates end without a
 *       space, answers start with one, so both spellings agree.
 *   <li><b>Scores.</b> An answer's score is its total log-probability, log p(answer | prompt),
 *       summed over its tokens ({@code --score sum}, the default for label words), or that sum
 *       over its token count ({@code --score mean}, the default for multiple-choice options).
 *   <li><b>Fitting the context.</b> Whole demonstrations go first, leftmost first; the question
 *       keeps its end (where the template puts "Sentiment:"); the run reports what was dropped.
 * </ul>
 */
package org.gpt4j.fewshot;
