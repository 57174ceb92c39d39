package org.gpt4j.finetune.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.finetune.FineTuneOptions;
import org.gpt4j.finetune.FineTuner;
import org.gpt4j.finetune.SpecialTokens;
import org.gpt4j.finetune.SyntheticTask;
import org.gpt4j.finetune.TaskColumns;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskEncoder;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TaskPredictor;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.LoraAdapters;
import org.gpt4j.model.LoraConfig;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA fine-tuning: new adapters leave the model as it was (B = 0) with A drawn as PEFT draws it;
 * training learns a task a tiny GPT can solve while every base weight but the added tokens' rows
 * stays bit for bit as it was; the adapter directory it writes loads back with the same
 * predictions; targets are matched as PEFT matches them.
 */
class LoraFineTuningTest {

    @TempDir
    Path dir;

    @Test
    void newAdaptersLeaveTheModelAsItWasAndDrawAAsPeft() {
        Gpt base = GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 24, 20), 5);
        LoraAdapters lora = LoraAdapters.initialized(base.config(), new LoraConfig(8, 16, List.of("c_attn", "c_fc"), false), 3);
        int[] tokens = {1, 5, 7, 2, 19, 0, 4, 4};
        float[] plain = base.forward(tokens, 2, 4).logits().clone();
        ForwardResult adapted = base.withAdapters(lora).forward(tokens, 2, 4);
        assertThat(adapted.logits()).containsExactly(plain);

        assertThat(lora.modules()).extracting(LoraAdapters.Module::name)
                .containsExactly("h.0.attn.c_attn", "h.0.mlp.c_fc", "h.1.attn.c_attn", "h.1.mlp.c_fc");
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (ParameterSpec s : lora.parameters().specs()) {
            float[] v = lora.parameters().data(s.name());
            if (s.name().endsWith(LoraAdapters.B)) {
                assertThat(v).as(s.name()).containsOnly(0f);
                continue;
            }
            double bound = 1 / Math.sqrt(s.shape()[1]);
            for (float x : v) {
                assertThat(Math.abs(x)).isLessThanOrEqualTo((float) bound);
                sum += x / bound;
                squares += (x / bound) * (x / bound);
                n++;
            }
        }
        // U(-1, 1) after dividing by the bound: mean 0, variance 1/3.
        assertThat(sum / n).isBetween(-0.1, 0.1);
        assertThat(squares / n).isBetween(0.28, 0.39);
    }

    @Test
    void targetsMatchAsPeftMatchesThemAndAnUnknownOneIsNamed() {
        GptConfig c = GptConfig.gpt2(2, 2, 16, 24, 20);
        assertThat(LoraAdapters.targeted(c, new LoraConfig(2, 4, List.of("c_proj"), false)))
                .extracting(LoraAdapters.Module::name)
                .containsExactly("h.0.attn.c_proj", "h.0.mlp.c_proj", "h.1.attn.c_proj", "h.1.mlp.c_proj");
        assertThat(LoraAdapters.targeted(c, new LoraConfig(2, 4, List.of("mlp.c_proj", "transformer.h.1.attn.c_attn"), false)))
                .extracting(LoraAdapters.Module::name)
                .containsExactly("h.0.mlp.c_proj", "h.1.attn.c_attn", "h.1.mlp.c_proj");
        assertThat(LoraAdapters.targeted(c, new LoraConfig(2, 4, List.of("c_fc"), false)).get(0).out()).isEqualTo(64);
        assertThatThrownBy(() -> LoraAdapters.targeted(c, new LoraConfig(2, 4, List.of("c_attn", "q_proj"), false)))
                .hasMessageContaining("'q_proj'").hasMessageContaining("attn.c_attn");
        assertThatThrownBy(() -> new LoraConfig(0, 4, List.of("c_attn"), false)).hasMessageContaining("rank");
        assertThat(new LoraConfig(4, 8, List.of("c_attn"), false).scale()).isEqualTo(2.0);
        assertThat(new LoraConfig(4, 8, List.of("c_attn"), true).scale()).isEqualTo(4.0);
    }

    @Test
    void learnsATaskWithTheBaseFrozenAndSavesAnAdapterThatLoadsBack() throws IOException {
        Path train = SyntheticTask.write(dir.resolve("train.tsv"), 96, 1);
        Path dev = SyntheticTask.write(dir.resolve("dev.tsv"), 32, 2);
        Tokenizer tokenizer = CharTokenizer.fromText("ab .xyz");
        Gpt base = GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 24, tokenizer.vocabSize()), 7);
        TaskDataset trainSet = TaskDataset.readTraining(train, TaskFormat.CLASSIFICATION, TaskColumns.automatic());
        TaskDataset devSet = TaskDataset.read(dev, TaskFormat.CLASSIFICATION, TaskColumns.automatic(), trainSet.labels());
        TaskModel fresh = TaskModel.fromBase(base, TaskFormat.CLASSIFICATION, trainSet.labels(), 3);
        Map<String, float[]> before = new HashMap<>();
        for (ParameterSpec s : fresh.gpt().parameters().specs()) {
            before.put(s.name(), fresh.gpt().parameters().data(s.name()).clone());
        }
        LoraFineTuning lora = LoraFineTuning.attach(fresh, new LoraConfig(4, 8, List.of("c_attn", "c_fc"), false), 1, "base");
        int c = 16;
        long adapters = 2L * (4 * (c + 3 * c) + 4 * (c + 4 * c));
        assertThat(lora.count()).isEqualTo(adapters + SpecialTokens.COUNT * c + 2 * c);
        FineTuneOptions options = new FineTuneOptions(TaskFormat.CLASSIFICATION, 0.5, 4, 1e-2, 8, 1, 0.05, 0.01, 1.0, 0, 24);
        Path out = dir.resolve("out");

        FineTuner.Summary s = new FineTuner(lora.model(), tokenizer, options, out, lora).run(trainSet, devSet,
                new FineTuner.Listener() { });

        assertThat(s.devAccuracy()).as("dev accuracy").isGreaterThanOrEqualTo(0.9);
        SpecialTokens special = fresh.special();
        for (ParameterSpec p : fresh.gpt().parameters().specs()) {
            float[] now = fresh.gpt().parameters().data(p.name());
            if (p.name().equals("wte.weight")) {
                int from = special.start() * c;
                assertThat(java.util.Arrays.copyOf(now, from)).as("base rows of wte").containsExactly(
                        java.util.Arrays.copyOf(before.get(p.name()), from));
                assertThat(java.util.Arrays.copyOfRange(now, from, now.length)).as("added rows of wte")
                        .isNotEqualTo(java.util.Arrays.copyOfRange(before.get(p.name()), from, now.length));
            } else {
                assertThat(now).as(p.name() + " (frozen)").containsExactly(before.get(p.name()));
            }
        }
        assertThat(out.resolve("adapter_config.json")).exists();
        assertThat(out.resolve("best/adapter_model.safetensors")).exists();
        assertThat(out.resolve("config.json")).doesNotExist();
        JsonNode config = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        assertThat(config.get("peft_type").asText()).isEqualTo("LORA");
        assertThat(config.get("task_type").asText()).isEqualTo("SEQ_CLS");
        assertThat(config.get("r").asInt()).isEqualTo(4);
        assertThat(config.get("lora_alpha").asInt()).isEqualTo(8);
        assertThat(config.get("fan_in_fan_out").asBoolean()).isTrue();
        assertThat(config.get("base_model_name_or_path").asText()).isEqualTo("base");
        assertThat(config.get("modules_to_save").toString()).isEqualTo("[\"classifier\",\"score\"]");
        int v0 = tokenizer.vocabSize();
        assertThat(config.get("trainable_token_indices").toString())
                .isEqualTo("[" + v0 + "," + (v0 + 1) + "," + (v0 + 2) + "," + (v0 + 3) + "]");

        // The last epoch's adapter (out/) on a fresh copy of the base predicts what the trained model does.
        TaskModel reloaded = PeftAdapterDirectory.loadTask(GptInit.randomGpt(base.config(), 7), out);
        assertThat(reloaded.labels()).isEqualTo(fresh.labels());
        TaskEncoder encoder = new TaskEncoder(tokenizer, TaskFormat.CLASSIFICATION, reloaded.special(), 24);
        List<int[][]> seqs = encoder.encodeAll(devSet);
        assertThat(TaskPredictor.probabilities(reloaded, seqs, 5)).isDeepEqualTo(TaskPredictor.probabilities(lora.model(), seqs, 5));
    }
}
