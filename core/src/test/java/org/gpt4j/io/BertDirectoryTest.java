package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.gpt4j.model.Activation;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInit;
import org.gpt4j.model.ParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face BERT directories: what gpt4j saves has BertForPreTraining's names and loads back
 * bit for bit; the names other checkpoints use (no {@code bert.} prefix, the old
 * {@code LayerNorm.gamma/beta}, {@code decoder.bias}, a stored tied decoder, the position_ids
 * buffer) load to the same model; and a directory whose files are wrong, truncated, damaged or
 * claim absurd sizes fails before allocating, with one message naming the file and the field.
 */
class BertDirectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void saveWritesBertForPreTrainingNamesAndLoadsBackBitExactly() throws IOException {
        BertFixture fx = BertFixture.load();
        Bert original = BertDirectory.load(fx.dir());
        BertDirectory.save(original, tmp);
        try (SafetensorsFile saved = SafetensorsFile.open(tmp.resolve("model.safetensors"));
             SafetensorsFile ref = SafetensorsFile.open(fx.dir().resolve("model.safetensors"))) {
            assertThat(saved.names()).containsExactlyInAnyOrderElementsOf(ref.names());
            for (String name : ref.names()) {
                assertThat(saved.shape(name)).as(name).isEqualTo(ref.shape(name));
                assertThat(saved.readFloats(name)).as(name).isEqualTo(ref.readFloats(name));
            }
            assertThat(saved.metadata()).containsEntry("format", "pt");
        }
        var config = JSON.readTree(tmp.resolve("config.json").toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("bert");
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("BertForPreTraining");
        assertSameParameters(BertDirectory.load(tmp), original);
    }

    @Test
    void aNewlyInitialisedBertRoundTripsWithItsConfig() throws IOException {
        BertConfig config = new BertConfig(50, 16, 3, 2, 40, 20, 3, 1e-7, Activation.GELU_NEW, 0.25);
        Bert bert = BertInit.randomBert(config, 7);
        float[] words = bert.parameters().data("wte.weight");
        double sq = 0;
        for (float w : words) {
            sq += w * w;
        }
        assertThat(Math.sqrt(sq / words.length)).isCloseTo(BertInit.STD, org.assertj.core.data.Offset.offset(0.002));
        assertThat(bert.parameters().data("ln_e.weight")).containsOnly(1f);
        assertThat(bert.parameters().data("mlm.bias")).containsOnly(0f);
        BertDirectory.save(bert, tmp.resolve("new"));
        assertSameParameters(BertDirectory.load(tmp.resolve("new")), bert);
        assertThat(BertConfigJson.isBert(tmp.resolve("new"))).isTrue();
        assertThat(BertConfigJson.isBert(BertFixture.load().dir().resolveSibling("multi-head"))).isFalse();
    }

    @Test
    void namesWithoutPrefixOldGammaBetaAndTiedDecoderLoadTheSameModel() throws IOException {
        BertFixture fx = BertFixture.load();
        Path dir = rewrite(fx.dir(), tensors -> {
            Map<String, NamedTensor> out = new LinkedHashMap<>();
            for (NamedTensor t : tensors.values()) {
                String name = t.name().startsWith("bert.") ? t.name().substring(5) : t.name();
                name = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta");
                name = name.equals("cls.predictions.bias") ? "cls.predictions.decoder.bias" : name;
                out.put(name, new NamedTensor(name, t.shape(), t.data()));
            }
            NamedTensor words = tensors.get("bert.embeddings.word_embeddings.weight");
            out.put("cls.predictions.decoder.weight", new NamedTensor("cls.predictions.decoder.weight", words.shape(), words.data()));
            out.put("embeddings.position_ids", new NamedTensor("embeddings.position_ids", new int[] {1, 16}, new float[16]));
            return out;
        });
        assertSameParameters(BertDirectory.load(dir), BertDirectory.load(fx.dir()));
    }

    @Test
    void anUntiedDecoderIsRefused() throws IOException {
        Path dir = rewrite(BertFixture.load().dir(), tensors -> {
            NamedTensor words = tensors.get("bert.embeddings.word_embeddings.weight");
            float[] other = words.data().clone();
            other[5] += 1f;
            tensors.put("cls.predictions.decoder.weight", new NamedTensor("cls.predictions.decoder.weight", words.shape(), other));
            return tensors;
        });
        assertLoadFails(dir, "model.safetensors", "'cls.predictions.decoder.weight' differs from the word embedding");
    }

    @Test
    void aBertModelCheckpointWithoutPreTrainingHeadsSaysSo() throws IOException {
        Path dir = rewrite(BertFixture.load().dir(), tensors -> {
            tensors.keySet().removeIf(n -> n.startsWith("cls."));
            return tensors;
        });
        assertLoadFails(dir, "model.safetensors", "missing tensors 'cls.predictions.transform.dense.weight'",
                "needs the pre-training heads");
    }

    @Test
    void shapesThatContradictConfigJsonNameTheTensor() throws IOException {
        Path dir = copy(BertFixture.load().dir());
        editConfig(dir, c -> c.put("intermediate_size", 64));
        assertLoadFails(dir, "model.safetensors", "tensor 'bert.encoder.layer.0.intermediate.dense.weight' has shape [48, 32]",
                "config.json implies [64, 32]");
    }

    @Test
    void absurdDeclaredSizesFailAtOnceWithoutAllocating() throws IOException {
        Path dir = copy(BertFixture.load().dir());
        editConfig(dir, c -> c.put("num_hidden_layers", 1_000_000_000));
        long t0 = System.nanoTime();
        assertLoadFails(dir, "config.json", "num_hidden_layers is 1000000000 but model.safetensors holds 2 layers");
        editConfig(dir, c -> c.put("num_hidden_layers", 2).put("vocab_size", 2_000_000_000));
        assertLoadFails(dir, "model.safetensors", "has shape [99, 32] but config.json implies [2000000000, 32]");
        editConfig(dir, c -> c.put("vocab_size", 99).put("hidden_size", 1_000_000_000).put("num_attention_heads", 1));
        assertLoadFails(dir, "config.json", "hidden_size 1000000000 is too large");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
    }

    @Test
    void badConfigFieldsAreNamed() throws IOException {
        Path dir = copy(BertFixture.load().dir());
        editConfig(dir, c -> c.put("model_type", "gpt2"));
        assertLoadFails(dir, "config.json", "model_type is 'gpt2', expected 'bert'");
        editConfig(dir, c -> c.put("model_type", "bert").remove("vocab_size"));
        assertLoadFails(dir, "config.json", "missing field 'vocab_size'");
        editConfig(dir, c -> c.put("vocab_size", "99"));
        assertLoadFails(dir, "config.json", "field 'vocab_size' must be an integer");
        editConfig(dir, c -> c.put("vocab_size", 99).put("num_attention_heads", 5));
        assertLoadFails(dir, "config.json", "hidden_size (32) must be divisible by num_attention_heads (5)");
        editConfig(dir, c -> c.put("num_attention_heads", 4).put("position_embedding_type", "relative_key"));
        assertLoadFails(dir, "config.json", "position_embedding_type 'relative_key' is not supported");
        editConfig(dir, c -> c.put("position_embedding_type", "absolute").put("hidden_act", "swish"));
        assertLoadFails(dir, "config.json", "hidden_act 'swish' is not supported");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\",");
        assertLoadFails(dir, "config.json", "is not valid JSON");
        Files.write(dir.resolve("config.json"), new byte[2 << 20]);
        assertLoadFails(dir, "config.json", "too large for a config.json");
    }

    @Test
    void truncatedOrDamagedWeightsAreRefused() throws IOException {
        BertFixture fx = BertFixture.load();
        Path dir = copy(fx.dir());
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> BertDirectory.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.safetensors");
        Files.write(weights, java.util.Arrays.copyOf(bytes, 6));
        assertThatThrownBy(() -> BertDirectory.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.safetensors");
        Path nan = rewrite(fx.dir(), tensors -> {
            tensors.get("bert.pooler.dense.bias").data()[3] = Float.NaN;
            return tensors;
        });
        assertLoadFails(nan, "model.safetensors", "tensor 'bert.pooler.dense.bias' holds a non-finite value (NaN at index 3)");
        Files.delete(weights);
        assertLoadFails(dir, "model.safetensors", "not found");
    }

    @Test
    void anUnexpectedTensorIsNamed() throws IOException {
        Path dir = rewrite(BertFixture.load().dir(), tensors -> {
            tensors.put("bert.encoder.layer.2.output.dense.bias", new NamedTensor("bert.encoder.layer.2.output.dense.bias",
                    new int[] {32}, new float[32]));
            return tensors;
        });
        assertLoadFails(dir, "model.safetensors", "unexpected tensor 'bert.encoder.layer.2.output.dense.bias'");
    }

    private static void assertSameParameters(Bert actual, Bert expected) {
        assertThat(actual.config()).isEqualTo(expected.config());
        for (ParameterSpec spec : expected.parameters().specs()) {
            assertThat(actual.parameters().data(spec.name())).as(spec.name()).isEqualTo(expected.parameters().data(spec.name()));
        }
    }

    private static void assertLoadFails(Path dir, String file, String... fragments) {
        assertThatThrownBy(() -> BertDirectory.load(dir))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file)
                .hasMessageContainingAll(fragments);
    }

    private Path copy(Path from) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "bert");
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(from.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    /** A copy of {@code from} whose weights are {@code edit}ed (name to tensor, in file order). */
    private Path rewrite(Path from, UnaryOperator<Map<String, NamedTensor>> edit) throws IOException {
        Path dir = copy(from);
        Map<String, NamedTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile st = SafetensorsFile.open(from.resolve("model.safetensors"))) {
            for (String name : st.names()) {
                tensors.put(name, new NamedTensor(name, st.shape(name), st.readFloats(name)));
            }
        }
        SafetensorsWriter.writeF32(dir.resolve("model.safetensors"), new ArrayList<>(edit.apply(tensors).values()), Map.of("format", "pt"));
        return dir;
    }

    private static void editConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        edit.accept(config);
        Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(config));
    }
}
