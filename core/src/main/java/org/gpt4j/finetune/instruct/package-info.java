/**
 * Instruction tuning: a pre-trained GPT learns to answer rather than continue, from conversations
 * ({@code {"prompt", "response"}} or chat {@code {"messages": [...]}} JSON Lines) rendered with a
 * chat template, with the language-modelling loss on the assistant's tokens only.
 *
 * <p>Rules that hold across the package:
 * <ul>
 *   <li><b>One model, no head.</b> The loss is {@code Gpt.forward}'s own cross-entropy with target
 *       -1 on every position that does not predict an assistant token; nothing here computes a
 *       layer, so the tuned model generates with the same pass it trained with.
 *   <li><b>Template tokens by id.</b> {@code <|system|>}, {@code <|user|>}, {@code <|assistant|>}
 *       and {@code <|end|>} are rows after the base vocabulary ({@link org.gpt4j.tokenizer.AddedTokens});
 *       text is always encoded as ordinary text, so a message cannot forge a turn.
 *   <li><b>Batching invariant.</b> Conversations are right-padded; under the causal mask no real
 *       position sees a pad and pads have no target, so a batch's loss and gradient are exactly
 *       those of its conversations taken together (token-weighted).
 *   <li><b>The stored template is the one used.</b> The output directory's
 *       {@code tokenizer_config.json} holds the template as Hugging Face's {@code chat_template};
 *       gpt4j's rendering and that Jinja template give the same ids, checked against transformers.
 * </ul>
 */
package org.gpt4j.finetune.instruct;
