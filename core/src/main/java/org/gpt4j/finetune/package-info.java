/**
 * GPT-1's supervised fine-tuning: task formats (start / delimiter / extract tokens added to the
 * vocabulary; classification, entailment, similarity, multiple choice), labelled TSV and JSONL
 * data, a linear head on the extract tokens' final hidden states, the loss L3 = L2 + lambda L1,
 * the training loop, and the model directory it writes. The loop, the data and the predictor work
 * on any {@link org.gpt4j.finetune.SequenceClassifier}: GPT-1's {@code TaskModel} here, BERT's in
 * org.gpt4j.finetune.bert.
 *
 * <p>Rules that hold across the package:
 * <ul>
 *   <li><b>One transformer pass.</b> The head reads {@code Gpt.finalHidden()} after
 *       {@code Gpt.forward} and hands its gradient to {@code Gpt.backward(scale, dFinalHidden)};
 *       nothing here computes attention or a block, so fine-tuning cannot drift from
 *       pre-training, generation or inspection.
 *   <li><b>Batching invariant.</b> Sequences are right-padded, and every real position's result
 *       equals that of its sequence alone: under the causal mask a pad can only be attended to by
 *       later pads. So only the extract position (the last real token) is read and pads have no LM
 *       target. Left padding would break this (positions would shift) and is never used.
 *   <li><b>An example owns consecutive sequences.</b> 1 (classification, entailment), 2
 *       (similarity's two orders) or N (multiple choice's options) rows of the batch; L2 is a mean
 *       over examples, L1 over the tokens of every sequence.
 *   <li><b>Added tokens by id.</b> The start, delimiter, extract and pad tokens are rows after the
 *       base vocabulary; they enter sequences by id only and are recorded in config.json
 *       ({@code gpt4j_task}), never derived from text.
 * </ul>
 */
package org.gpt4j.finetune;
