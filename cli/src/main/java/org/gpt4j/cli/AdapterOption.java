package org.gpt4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.gpt4j.finetune.SequenceClassifier;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.finetune.bert.BertTaskDirectory;
import org.gpt4j.finetune.lora.PeftAdapterDirectory;
import org.gpt4j.io.BertConfigJson;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tensor.WeightFormat;
import picocli.CommandLine.Option;

/**
 * {@code --adapter DIR}: a LoRA adapter (PEFT's format, as {@code finetune --lora-rank} writes it)
 * run on top of {@code --model}, which is then the base it was trained on.
 */
final class AdapterOption {

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "A LoRA adapter directory (PEFT format: adapter_config.json + adapter_model.safetensors, "
                    + "e.g. from finetune --lora-rank) to run on --model, which must be the base model it was trained on.")
    Path adapter;

    /** The task model in {@code model} (a fine-tuned GPT or BERT), or the adapter's on the base {@code model}. */
    SequenceClassifier loadTask(Path model) throws IOException {
        if (adapter == null) {
            if (PeftAdapterDirectory.isAdapter(model)) {
                throw new IllegalArgumentException(model + " is a LoRA adapter: give its base model with --model and the adapter"
                        + " with --adapter");
            }
            return BertConfigJson.isBert(model) ? BertTaskDirectory.load(model) : TaskModelDirectory.load(model);
        }
        requireBase(model);
        if (BertConfigJson.isBert(model)) {
            throw new IllegalArgumentException(model + " is a BERT: LoRA adapters here are a GPT's");
        }
        return PeftAdapterDirectory.loadTask(ModelDirectory.load(model), adapter);
    }

    /** The language model in {@code model}, with the adapter when one is given, its weights in {@code format}. */
    Gpt loadLanguageModel(Path model, WeightFormat format) throws IOException {
        if (adapter == null) {
            return ModelDirectory.load(model, format);
        }
        requireBase(model);
        // The base is read as f32 so the adapter's token rows can be written into wte; then compacted.
        return PeftAdapterDirectory.loadLanguageModel(ModelDirectory.load(model), adapter).withWeightFormat(format);
    }

    private static void requireBase(Path model) throws IOException {
        if (TaskModelDirectory.isTaskModel(model)) {
            throw new IllegalArgumentException("with --adapter, --model is the base model the adapter was trained on; " + model
                    + " is already a fine-tuned task model");
        }
    }
}
