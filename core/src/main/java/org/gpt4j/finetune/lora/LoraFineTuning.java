package org.gpt4j.finetune.lora;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.finetune.SpecialTokens;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TrainableWeights;
import org.gpt4j.model.LoraAdapters;
import org.gpt4j.model.LoraConfig;
import org.gpt4j.model.Parameters;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Fine-tuning with LoRA, as PEFT sets it up for GPT2ForSequenceClassification: the pre-trained
 * GPT frozen; trained are the adapters (B = 0 at the start, so step 0 is the base model), the
 * task head ({@code score}, PEFT's modules_to_save for SEQ_CLS) and the embedding rows of
 * GPT-1's added tokens (PEFT's trainable_token_indices: new tokens must learn a meaning, and the
 * rest of wte stays frozen). Each epoch is saved as a PEFT adapter directory.
 */
public final class LoraFineTuning implements TrainableWeights {

    private final TaskModel model;
    private final TrainableTokens tokens;
    private final String baseModel;

    private LoraFineTuning(TaskModel model, TrainableTokens tokens, String baseModel) {
        this.model = model;
        this.tokens = tokens;
        this.baseModel = baseModel;
    }

    /**
     * LoRA on a task model fresh from {@link TaskModel#fromBase}: the returned {@link #model()}
     * shares its weights and runs new adapters.
     *
     * @param baseModel the base model as the user named it (saved as base_model_name_or_path)
     * @throws IllegalArgumentException naming a target that matches no layer
     */
    public static LoraFineTuning attach(TaskModel fresh, LoraConfig config, long seed, String baseModel) {
        LoraAdapters adapters = LoraAdapters.initialized(fresh.gpt().config(), config, seed * 0x9E3779B97F4A7C15L + 17);
        TaskModel adapted = new TaskModel(fresh.gpt().withAdapters(adapters), fresh.head(), fresh.format(), fresh.special(),
                fresh.labels());
        SpecialTokens s = fresh.special();
        TrainableTokens tokens = TrainableTokens.of(adapted.gpt(), new int[] {s.start(), s.delimiter(), s.extract(), s.pad()});
        return new LoraFineTuning(adapted, tokens, baseModel);
    }

    /** The task model that trains: the base's weights with the adapters attached. */
    public TaskModel model() {
        return model;
    }

    public LoraAdapters adapters() {
        return model.gpt().adapters();
    }

    public TrainableTokens tokens() {
        return tokens;
    }

    @Override
    public List<Parameters> parameters() {
        return List.of(adapters().parameters(), tokens.parameters(), model.head().parameters());
    }

    @Override
    public void afterBackward() {
        tokens.gatherGradient(model.gpt());
    }

    @Override
    public void afterStep() {
        tokens.writeInto(model.gpt());
    }

    @Override
    public void save(Tokenizer tokenizer, Path dir) throws IOException {
        PeftAdapterDirectory.saveTask(model, tokens, baseModel, dir);
    }
}
