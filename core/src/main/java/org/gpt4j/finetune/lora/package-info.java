/**
 * LoRA (Hu et al. 2021) for gpt4j's fine-tuning, in Hugging Face PEFT's format: training a task
 * model's adapters ({@link org.gpt4j.finetune.lora.LoraFineTuning}), PEFT's adapter directory
 * ({@link org.gpt4j.finetune.lora.PeftAdapterDirectory}, {@link org.gpt4j.finetune.lora.PeftAdapterConfig})
 * and the embedding rows of added tokens ({@link org.gpt4j.finetune.lora.TrainableTokens}).
 *
 * <p>Rules that hold across the package:
 * <ul>
 *   <li><b>The adapter computation lives in the model.</b> {@link org.gpt4j.model.LoraAdapters}
 *       attach to a {@link org.gpt4j.model.Gpt} and run inside its one forward and backward;
 *       nothing here computes a layer.
 *   <li><b>PEFT's names and layouts, unchanged.</b> lora_A {@code [r, in]}, lora_B
 *       {@code [out, r]}, fan_in_fan_out true for GPT-2's Conv1D; what PEFT loads, gpt4j wrote,
 *       and the reverse (tools/reference/peft_lora_reference.py checks both).
 *   <li><b>The base is given, never found.</b> base_model_name_or_path is saved for people and
 *       PEFT; gpt4j always takes the base from {@code --model} and checks that the adapter fits it.
 * </ul>
 */
package org.gpt4j.finetune.lora;
