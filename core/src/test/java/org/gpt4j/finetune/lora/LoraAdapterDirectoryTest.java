package org.gpt4j.finetune.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.io.SafetensorsWriter;
import org.gpt4j.model.Gpt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter directory: one that {@code gpt4j finetune --lora-rank} wrote loads in PEFT with the
 * logits gpt4j computes (peft_logits.json, written by tools/reference/gpt4j_lora_fixture.sh);
 * merging gives a plain directory with the logits of base + adapter; and a bad adapter (missing,
 * malformed, a rank or shape that disagrees, an unknown target, a LoRA variant gpt4j does not run,
 * the wrong base) fails with one error naming the file and the field or tensor.
 */
class LoraAdapterDirectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path fixture() {
        return PeftLoraParityTest.resource("fixtures/lora/gpt4j-adapter");
    }

    @Test
    void adapterWrittenByGpt4jGivesPeftLogits() throws IOException {
        Path dir = fixture();
        JsonNode peft = JSON.readTree(dir.resolve("adapter/peft_logits.json").toFile());
        TaskModel model = PeftAdapterDirectory.loadTask(ModelDirectory.load(dir.resolve("base")), dir.resolve("adapter"));
        float[] logits = batchLogits(model, sequences(peft));
        float[] expected = floats(peft.get("logits"));
        double error = PeftLoraParityTest.relativeError(logits, expected);
        System.out.printf(Locale.ROOT, "gpt4j adapter in PeftModel.from_pretrained (peft %s) vs gpt4j: max relative error %.2e%n",
                peft.get("peft").asText(), error);
        assertThat(error).isLessThan(1e-5);
    }

    @Test
    void mergedTaskModelGivesTheLogitsOfBasePlusAdapter() throws IOException {
        Path dir = fixture();
        Path out = tmp.resolve("merged");
        AdapterMerge.Result r = AdapterMerge.merge(dir.resolve("base"), dir.resolve("adapter"), out);
        assertThat(r.taskType()).isEqualTo(PeftAdapterConfig.TaskType.SEQ_CLS);
        assertThat(r.layers()).isEqualTo(8);
        List<int[]> seqs = sequences(JSON.readTree(dir.resolve("adapter/peft_logits.json").toFile()));
        TaskModel adapted = PeftAdapterDirectory.loadTask(ModelDirectory.load(dir.resolve("base")), dir.resolve("adapter"));
        TaskModel merged = TaskModelDirectory.load(out);
        assertThat(merged.gpt().adapters()).isNull();
        assertThat(merged.labels()).isEqualTo(adapted.labels());
        assertThat(out.resolve("char_vocab.json")).as("the base's tokenizer").exists();
        assertThat(PeftLoraParityTest.relativeError(batchLogits(merged, seqs), batchLogits(adapted, seqs))).isLessThan(1e-5);
        assertThat(ModelDirectory.load(out).config().vocabSize()).isEqualTo(adapted.gpt().config().vocabSize());
    }

    @Test
    void mergedLanguageModelGivesPeftLogits() throws IOException {
        Path dir = PeftLoraParityTest.resource("fixtures/lora/peft-causal-lm");
        Path out = tmp.resolve("merged-lm");
        AdapterMerge.Result r = AdapterMerge.merge(dir.resolve("base"), dir.resolve("adapter"), out);
        assertThat(r.taskType()).isEqualTo(PeftAdapterConfig.TaskType.CAUSAL_LM);
        JsonNode ref = JSON.readTree(dir.resolve("reference.json").toFile());
        int[] tokens = PeftLoraParityTest.ints(ref.get("tokens"));
        Gpt merged = ModelDirectory.load(out);
        assertThat(PeftLoraParityTest.relativeError(merged.forward(tokens, 1, tokens.length).logits(), floats(ref.get("logits"))))
                .isLessThan(1e-5);
    }

    @Test
    void missingOrMalformedConfigNamesTheFile() throws IOException {
        Path a = copy();
        Files.delete(a.resolve("adapter_config.json"));
        expectError(a, "adapter_config.json", "not found");

        a = copy();
        Files.writeString(a.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 4,");
        expectError(a, "adapter_config.json", "not valid JSON");

        a = copy();
        Files.write(a.resolve("adapter_config.json"), new byte[2 << 20]);
        expectError(a, "adapter_config.json", "too large");

        a = copy();
        Files.delete(a.resolve("gpt4j_task.json"));
        expectError(a, "gpt4j_task.json", "not found", "finetune --lora-rank");
    }

    @Test
    void fieldsThatDisagreeOrAreUnsupportedAreNamed() throws IOException {
        expectError(edit(c -> c.remove("r")), "adapter_config.json", "'r'");
        expectError(edit(c -> c.put("r", "four")), "adapter_config.json", "'r'");
        expectError(edit(c -> c.put("lora_alpha", -1)), "adapter_config.json", "'lora_alpha'");
        expectError(edit(c -> c.put("peft_type", "IA3")), "adapter_config.json", "'peft_type'");
        expectError(edit(c -> c.put("task_type", "TOKEN_CLS")), "adapter_config.json", "'task_type'");
        expectError(edit(c -> c.put("use_dora", true)), "adapter_config.json", "'use_dora'");
        expectError(edit(c -> c.put("bias", "all")), "adapter_config.json", "'bias'");
        expectError(edit(c -> c.putObject("rank_pattern").put("c_attn", 8)), "adapter_config.json", "'rank_pattern'");
        expectError(edit(c -> c.putArray("target_modules").add("q_proj")), "adapter_config.json", "'q_proj'");
        expectError(edit(c -> c.put("target_modules", "(")), "adapter_config.json", "regular expression");
        expectError(edit(c -> c.putArray("modules_to_save").add("classifier")), "adapter_config.json", "'modules_to_save'");
        expectError(edit(c -> c.putArray("trainable_token_indices").add(8)), "adapter_config.json", "'trainable_token_indices'");
        // A rank that disagrees with the tensors names the tensor, its shape and the config's r.
        expectError(edit(c -> c.put("r", 8)), "adapter_model.safetensors",
                "'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight' has shape [4, 16]", "r = 8");
        // Fewer targets than tensors: the extra tensors are not silently dropped.
        expectError(edit(c -> c.putArray("target_modules").add("c_attn")), "adapter_model.safetensors", "unexpected tensor");
    }

    @Test
    void tensorsThatDisagreeWithTheBaseAreNamed() throws IOException {
        expectError(editTensors(t -> t.removeIf(n -> n.name().endsWith("h.1.mlp.c_fc.lora_B.weight"))),
                "adapter_model.safetensors", "missing tensor 'base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight'");
        expectError(editTensors(t -> t.replaceAll(n -> n.name().endsWith("score.weight")
                ? new NamedTensor(n.name(), new int[] {3, 16}, new float[48]) : n)),
                "adapter_model.safetensors", "'base_model.model.score.weight' has shape [3, 16]", "[2, 16]");
        expectError(editTensors(t -> t.add(new NamedTensor("base_model.model.transformer.wte.lora_embedding_A", new int[] {4, 12},
                new float[48]))), "adapter_model.safetensors", "unexpected tensor 'base_model.model.transformer.wte.lora_embedding_A'");
        Path a = copy();
        byte[] bytes = Files.readAllBytes(a.resolve("adapter_model.safetensors"));
        Files.write(a.resolve("adapter_model.safetensors"), Arrays.copyOf(bytes, bytes.length / 2));
        expectError(a, "adapter_model.safetensors");
    }

    @Test
    void anAdapterOnTheWrongBaseOrForTheWrongUseIsNamed() throws IOException {
        Path wrongBase = PeftLoraParityTest.resource("fixtures/lora/peft-causal-lm/base");
        assertThatThrownBy(() -> PeftAdapterDirectory.loadTask(ModelDirectory.load(wrongBase), fixture().resolve("adapter")))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("gpt4j_task.json")
                .hasMessageContaining("vocabulary of 50").hasMessageContaining("another base model");
        Path lm = PeftLoraParityTest.resource("fixtures/lora/peft-causal-lm");
        assertThatThrownBy(() -> PeftAdapterDirectory.loadTask(ModelDirectory.load(lm.resolve("base")), lm.resolve("adapter")))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("'task_type' is CAUSAL_LM");
        assertThatThrownBy(() -> PeftAdapterDirectory.loadLanguageModel(ModelDirectory.load(fixture().resolve("base")),
                fixture().resolve("adapter"))).isInstanceOf(ModelFormatException.class).hasMessageContaining("'task_type' is SEQ_CLS");
        Path a = copy();
        ObjectNode task = (ObjectNode) JSON.readTree(a.resolve("gpt4j_task.json").toFile());
        task.put("start_token_id", 5);
        Files.write(a.resolve("gpt4j_task.json"), JSON.writeValueAsBytes(task));
        expectError(a, "gpt4j_task.json", "another base model");
    }

    private void expectError(Path adapter, String file, String... parts) {
        var thrown = assertThatThrownBy(() -> PeftAdapterDirectory.loadTask(ModelDirectory.load(fixture().resolve("base")), adapter))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining(adapter.resolve(file).toString());
        for (String p : parts) {
            thrown.hasMessageContaining(p);
        }
    }

    private Path copy() throws IOException {
        Path to = Files.createTempDirectory(tmp, "adapter");
        try (var files = Files.list(fixture().resolve("adapter"))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private Path edit(Consumer<ObjectNode> change) throws IOException {
        Path a = copy();
        ObjectNode config = (ObjectNode) JSON.readTree(a.resolve("adapter_config.json").toFile());
        change.accept(config);
        Files.write(a.resolve("adapter_config.json"), JSON.writeValueAsBytes(config));
        return a;
    }

    private Path editTensors(Consumer<List<NamedTensor>> change) throws IOException {
        Path a = copy();
        List<NamedTensor> tensors = new ArrayList<>();
        try (SafetensorsFile st = SafetensorsFile.open(a.resolve("adapter_model.safetensors"))) {
            for (String n : st.names()) {
                tensors.add(new NamedTensor(n, st.shape(n), st.readFloats(n)));
            }
        }
        change.accept(tensors);
        SafetensorsWriter.writeF32(a.resolve("adapter_model.safetensors"), tensors, Map.of("format", "pt"));
        return a;
    }

    private static List<int[]> sequences(JsonNode peft) {
        List<int[]> seqs = new ArrayList<>();
        peft.get("sequences").forEach(s -> seqs.add(PeftLoraParityTest.ints(s)));
        return seqs;
    }

    private static float[] batchLogits(TaskModel model, List<int[]> seqs) {
        int[] none = new int[seqs.size()];
        Arrays.fill(none, -1);
        model.forward(TaskBatch.of(seqs, none, model.special().pad()), 0);
        return model.logits().clone();
    }

    private static float[] floats(JsonNode rows) {
        List<Double> all = new ArrayList<>();
        rows.forEach(r -> r.forEach(x -> all.add(x.asDouble())));
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i).floatValue();
        }
        return out;
    }
}
