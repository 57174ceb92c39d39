package org.gpt4j.generate;

/**
 * One generated continuation.
 *
 * @param tokens the new token ids (after the prompt), the end-of-sequence token included when it
 *               ended the sequence
 * @param score  beam search: Hugging Face's sequence score, sum(log p) / length^length_penalty;
 *               greedy and sampling: the sum of the model's log-probabilities of the tokens
 * @param reason why it ended
 */
public record GeneratedSequence(int[] tokens, double score, FinishReason reason) {
}
