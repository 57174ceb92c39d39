package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.gpt4j.model.Activation;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.LayerNormPlacement;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.model.PositionalEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face GPT-2 directories: the lm-buddy checkpoints from transformers load (with and
 * without the {@code transformer.} prefix), what gpt4j saves loads back bit for bit, and a
 * directory whose files disagree fails with a message naming the tensor.
 */
class ModelDirectoryTest {

    private static final String TINY = "lm-buddy-tiny_gpt2"; // GPT2Model: no prefix
    private static final String FAKE = "lm-buddy-fake_gpt2"; // GPT2LMHeadModel: transformer.*

    @TempDir
    Path tmp;

    @Test
    void loadsAGpt2ModelCheckpointWithoutPrefix() throws Exception {
        Gpt gpt = ModelDirectory.load(fixture(TINY));
        assertThat(gpt.config()).isEqualTo(new GptConfig(1, 1, 2, 1024, 21, 8, 1e-5, Activation.GELU_NEW,
                PositionalEncoding.LEARNED, LayerNormPlacement.PRE, 0.1));
        // Values read by hand from the file with Python's struct module.
        assertThat(gpt.parameters().data("wte.weight")).startsWith(0x1.05c4b0p-5f, -0x1.37e51ep-8f, -0x1.34f4d6p-6f);
        assertEveryParameterEqualsTheFile(gpt, fixture(TINY).resolve("model.safetensors"), "");
    }

    @Test
    void loadsAGpt2LmHeadModelCheckpointWithTransformerPrefix() throws Exception {
        Gpt gpt = ModelDirectory.load(fixture(FAKE));
        assertThat(gpt.config().vocabSize()).isEqualTo(50257);
        assertThat(gpt.parameters().data("wte.weight")).hasSize(50257 * 2)
                .startsWith(0x1.c17748p-6f, 0x1.7f4e72p-7f, -0x1.844ed4p-7f);
        assertEveryParameterEqualsTheFile(gpt, fixture(FAKE).resolve("model.safetensors"), "transformer.");
    }

    @Test
    void saveThenLoadRoundTripsBitExactly() throws Exception {
        Gpt original = ModelDirectory.load(fixture(FAKE));
        Path dir = tmp.resolve("saved");
        ModelDirectory.save(original, dir);
        Gpt loaded = ModelDirectory.load(dir);
        assertThat(loaded.config()).isEqualTo(original.config());
        assertSameParameters(loaded, original);
    }

    @Test
    void savesWhatTransformersLoads() throws Exception {
        Gpt gpt = randomGpt(GptConfig.gpt2(2, 2, 4, 8, 11));
        Path dir = tmp.resolve("a/b/new-model"); // created when missing
        ModelDirectory.save(gpt, dir);
        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            // GPT2LMHeadModel maps bare names itself; the tied lm_head is never stored.
            assertThat(List.copyOf(st.names())).isEqualTo(
                    gpt.parameters().specs().stream().map(ParameterSpec::name).toList());
            assertThat(st.metadata()).containsEntry("format", "pt");
        }
        assertThat(ModelDirectory.readConfig(dir)).isEqualTo(gpt.config());
    }

    @Test
    void roundTripsTheVariantsGpt2DoesNotHave() throws Exception {
        GptConfig config = GptConfig.gpt2(1, 2, 6, 5, 7).withPositionalEncoding(PositionalEncoding.SINUSOIDAL)
                .withLayerNorm(LayerNormPlacement.POST).withActivation(Activation.RELU);
        Gpt gpt = randomGpt(config);
        ModelDirectory.save(gpt, tmp);
        Gpt loaded = ModelDirectory.load(tmp);
        assertThat(loaded.config()).isEqualTo(config);
        assertSameParameters(loaded, gpt);
    }

    @Test
    void reportsShapesThatContradictConfigJson() throws Exception {
        Path dir = copyOf(TINY);
        editConfig(dir, c -> c.put("n_embd", 4));
        assertLoadFails(dir, "model.safetensors", "tensor 'wte.weight' has shape [21, 2]", "config.json implies [21, 4]");
    }

    @Test
    void aConfigClaimingABillionLayersFailsAtOnceWithoutAllocating() throws Exception {
        Path dir = copyOf(TINY);
        editConfig(dir, c -> c.put("n_layer", 1_000_000_000));
        long t0 = System.nanoTime();
        assertLoadFails(dir, "config.json", "n_layer is 1000000000 but model.safetensors holds 1 block");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
    }

    @Test
    void sizesTheWeightsDoNotFixSizeNothingUpFront() throws Exception {
        GptConfig config = GptConfig.gpt2(1, 2, 6, 5, 7).withPositionalEncoding(PositionalEncoding.SINUSOIDAL);
        Gpt small = randomGpt(config);
        ModelDirectory.save(small, tmp);
        // No tensor fixes the context of sinusoidal positions: a huge one costs nothing until used.
        editConfig(tmp, c -> c.put("n_positions", 2_000_000_000).put("n_ctx", 2_000_000_000));
        Gpt wide = ModelDirectory.load(tmp);
        assertThat(wide.config().nPositions()).isEqualTo(2_000_000_000);
        int[] tokens = {1, 2, 3, 4, 5};
        assertThat(wide.forward(tokens, 1, 5).logits()).containsExactly(small.forward(tokens, 1, 5).logits());
        editConfig(tmp, c -> c.put("n_embd", 1_000_000_000).put("n_head", 1).remove("n_inner"));
        assertThatThrownBy(() -> ModelDirectory.load(tmp)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("n_embd 1000000000 is too large");
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensor() throws Exception {
        Path dir = copyOf(TINY);
        rewriteWeights(dir, tensors -> {
            for (NamedTensor t : tensors) {
                if (t.name().equals("h.0.mlp.c_fc.weight")) {
                    t.data()[3] = Float.NaN;
                    t.data()[5] = Float.POSITIVE_INFINITY;
                }
            }
        });
        assertLoadFails(dir, "model.safetensors", "tensor 'h.0.mlp.c_fc.weight' holds 2 non-finite values",
                "the first, NaN, at index 3");
    }

    @Test
    void reportsAMissingTensorByName() throws Exception {
        Path dir = copyOf(TINY);
        rewriteWeights(dir, tensors -> tensors.removeIf(t -> t.name().equals("h.0.ln_2.bias")));
        assertLoadFails(dir, "model.safetensors", "missing tensor 'h.0.ln_2.bias'");
    }

    @Test
    void reportsUnexpectedTensorsByName() throws Exception {
        Path dir = copyOf(FAKE);
        rewriteWeights(dir, tensors -> tensors.add(new NamedTensor("transformer.h.0.attn.rotary.weight",
                new int[] {2}, new float[2])));
        assertLoadFails(dir, "model.safetensors", "unexpected tensor 'transformer.h.0.attn.rotary.weight'");
    }

    @Test
    void ignoresTheCausalMaskBuffersOlderCheckpointsStore() throws Exception {
        Path dir = copyOf(FAKE);
        rewriteWeights(dir, tensors -> {
            tensors.add(new NamedTensor("transformer.h.0.attn.bias", new int[] {1, 1, 2, 2}, new float[] {1, 0, 1, 1}));
            tensors.add(new NamedTensor("transformer.h.0.attn.masked_bias", new int[] {}, new float[] {-1e4f}));
        });
        assertSameParameters(ModelDirectory.load(dir), ModelDirectory.load(fixture(FAKE)));
    }

    @Test
    void acceptsAStoredLmHeadOnlyWhenItIsTheTiedEmbedding() throws Exception {
        Gpt reference = ModelDirectory.load(fixture(TINY));
        float[] wte = reference.parameters().data("wte.weight");
        Path tied = copyOf(TINY);
        rewriteWeights(tied, tensors -> tensors.add(new NamedTensor("lm_head.weight", new int[] {21, 2}, wte.clone())));
        assertSameParameters(ModelDirectory.load(tied), reference);

        Path untied = copyOf(TINY);
        float[] other = wte.clone();
        other[5] += 1f;
        rewriteWeights(untied, tensors -> tensors.add(new NamedTensor("lm_head.weight", new int[] {21, 2}, other)));
        assertLoadFails(untied, "model.safetensors", "'lm_head.weight' differs from wte.weight", "untied lm_head is not supported");
    }

    @Test
    void reportsAnUnknownActivationInConfigJson() throws Exception {
        Path dir = copyOf(TINY);
        editConfig(dir, c -> c.put("activation_function", "swish"));
        assertLoadFails(dir, "config.json", "unknown activation_function 'swish'");
    }

    @Test
    void explainsWhyTheWeightsAreMissing() throws Exception {
        Path dir = copyOf(TINY);
        Files.delete(dir.resolve("model.safetensors"));
        assertLoadFails(dir, "model.safetensors", "not found");
        Files.writeString(dir.resolve("pytorch_model.bin"), "");
        assertLoadFails(dir, "model.safetensors", "only pytorch_model.bin");
    }

    @Test
    void aSaveThatFailsMidwayLeavesTheOldModelIntact() throws Exception {
        Path dir = copyOf(TINY);
        byte[] oldConfig = Files.readAllBytes(dir.resolve("config.json"));
        byte[] oldWeights = Files.readAllBytes(dir.resolve("model.safetensors"));
        List<String> before = filesIn(dir);
        Gpt other = randomGpt(GptConfig.gpt2(1, 1, 4, 16, 21));
        // An interrupted thread's file channel closes on its first write: the save fails
        // while the new weights are being written, after its temporary files exist.
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> ModelDirectory.save(other, dir)).isInstanceOf(ClosedByInterruptException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(Files.readAllBytes(dir.resolve("config.json"))).isEqualTo(oldConfig);
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(oldWeights);
        assertThat(filesIn(dir)).isEqualTo(before);
        ModelDirectory.load(dir);
    }

    // ---- helpers ----

    private static void assertEveryParameterEqualsTheFile(Gpt gpt, Path weights, String prefix) throws IOException {
        for (ParameterSpec spec : gpt.parameters().specs()) {
            assertThat(gpt.parameters().data(spec.name()))
                    .as(spec.name())
                    .isEqualTo(SafetensorsBytes.readF32(weights, prefix + spec.name()));
        }
    }

    private static void assertSameParameters(Gpt actual, Gpt expected) {
        assertThat(actual.parameters().specs()).isEqualTo(expected.parameters().specs());
        for (ParameterSpec spec : expected.parameters().specs()) {
            float[] a = actual.parameters().data(spec.name());
            float[] e = expected.parameters().data(spec.name());
            assertThat(a.length).isEqualTo(e.length);
            for (int i = 0; i < a.length; i++) {
                assertThat(Float.floatToRawIntBits(a[i])).as(spec.name() + "[" + i + "]")
                        .isEqualTo(Float.floatToRawIntBits(e[i]));
            }
        }
    }

    private void assertLoadFails(Path dir, String file, String... fragments) {
        var a = assertThatThrownBy(() -> ModelDirectory.load(dir))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(dir.resolve(file) + ": ");
        for (String fragment : fragments) {
            a.hasMessageContaining(fragment);
        }
    }

    private static Gpt randomGpt(GptConfig config) {
        ParameterLayout layout = ParameterLayout.of(config);
        Random r = new Random(42);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : layout.specs()) {
            float[] v = new float[(int) spec.count()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian() * 0.02f;
            }
            values.put(spec.name(), v);
        }
        return new Gpt(config, Parameters.of(layout, values));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ModelDirectoryTest.class.getResource("/fixtures/hf/" + name).toURI());
    }

    private Path copyOf(String name) throws Exception {
        Path dir = Files.createTempDirectory(tmp, name);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(fixture(name).resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private interface Edit<T> {
        void apply(T t) throws IOException;
    }

    private static void editConfig(Path dir, Edit<ObjectNode> edit) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode config = (ObjectNode) mapper.readTree(dir.resolve("config.json").toFile());
        edit.apply(config);
        mapper.writeValue(dir.resolve("config.json").toFile(), config);
    }

    /** Rewrites model.safetensors after an edit of its tensor list (read back by hand, F32). */
    private static void rewriteWeights(Path dir, Edit<List<NamedTensor>> edit) throws IOException {
        Path weights = dir.resolve("model.safetensors");
        List<NamedTensor> tensors = new ArrayList<>();
        var header = SafetensorsBytes.header(weights);
        for (var field : header.properties()) {
            if (!field.getKey().equals("__metadata__")) {
                int[] shape = new int[field.getValue().get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = field.getValue().get("shape").get(i).asInt();
                }
                tensors.add(new NamedTensor(field.getKey(), shape, SafetensorsBytes.readF32(weights, field.getKey())));
            }
        }
        edit.apply(tensors);
        SafetensorsWriter.writeF32(weights, tensors, Map.of("format", "pt"));
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
