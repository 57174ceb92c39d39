/**
 * Continuous batching: many independent completions share each decoding step. One engine thread
 * owns the model; each step it samples the next token of every running sequence (each with its
 * own KV cache, logits processors, random stream and stop rules), then runs one forward over
 * the batch's last tokens ({@link org.gpt4j.model.Gpt#decode}). New requests join between
 * steps (their prompt read in one prefill), finished or cancelled ones leave.
 *
 * <p>A request's tokens with a seed are the same bits whether it ran alone or in a batch: the
 * decode forward computes every row independently of the rows beside it.
 */
package org.gpt4j.generate.batch;
