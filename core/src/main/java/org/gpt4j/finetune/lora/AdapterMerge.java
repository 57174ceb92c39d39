package org.gpt4j.finetune.lora;

import java.io.IOException;
import java.nio.file.Path;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.LoraAdapters;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;

/**
 * A base model and a LoRA adapter folded into one plain model directory (PEFT's
 * merge_and_unload): W = W0 + s (B A)^T in every adapted layer, the adapter's token rows in
 * wte. A SEQ_CLS adapter gives a fine-tuned task model directory (GPT2ForSequenceClassification),
 * a CAUSAL_LM one a GPT-2 language model; either loads in every command without the adapter.
 */
public final class AdapterMerge {

    /** What was merged: the adapter's task type and the layers and rank it adapted. */
    public record Result(PeftAdapterConfig.TaskType taskType, int layers, int rank, double alpha) {
    }

    private AdapterMerge() {
    }

    /**
     * Merges {@code adapter} into the model in {@code base} and writes the result to {@code out}
     * (with the base's tokenizer).
     */
    public static Result merge(Path base, Path adapter, Path out) throws IOException {
        Gpt gpt = ModelDirectory.load(base);
        Tokenizer tokenizer = Tokenizers.loadIfPresent(base);
        PeftAdapterConfig.TaskType type = PeftAdapterDirectory.taskType(adapter, gpt);
        LoraAdapters lora;
        if (type == PeftAdapterConfig.TaskType.SEQ_CLS) {
            TaskModel adapted = PeftAdapterDirectory.loadTask(gpt, adapter);
            lora = adapted.gpt().adapters();
            Gpt merged = lora.mergeInto(adapted.gpt().withAdapters(null));
            TaskModelDirectory.save(new TaskModel(merged, adapted.head(), adapted.format(), adapted.special(),
                    adapted.labels()), tokenizer, out);
        } else {
            Gpt adapted = PeftAdapterDirectory.loadLanguageModel(gpt, adapter);
            lora = adapted.adapters();
            ModelDirectory.save(lora.mergeInto(adapted.withAdapters(null)), out);
            if (tokenizer != null) {
                Tokenizers.save(tokenizer, out);
            }
        }
        return new Result(type, lora.modules().size(), lora.config().rank(), lora.config().alpha());
    }
}
