package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.PositionalEncoding;

/**
 * config.json on random values and bytes: it reads as a valid config or fails with one
 * {@link ModelFormatException}; and beside a real weights file, whatever sizes it claims, loading
 * allocates no more than the weights need (the claims are checked against the file's header first).
 */
class ConfigFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final List<String> FIELDS = List.of("n_layer", "n_head", "n_embd", "n_positions", "n_ctx",
            "vocab_size", "n_inner", "layer_norm_epsilon", "resid_pdrop", "activation_function", "position_encoding",
            "layer_norm_placement", "model_type");

    /** A 2-layer model with learned positions and one with sinusoids (whose n_positions no tensor fixes). */
    private static Path learned;
    private static Path sinusoidal;

    @BeforeContainer
    static void models() throws IOException {
        Path dir = Files.createTempDirectory("config-fuzz");
        learned = dir.resolve("learned");
        ModelDirectory.save(GptInit.randomGpt(GptConfig.gpt2(2, 2, 8, 16, 20), 1), learned);
        sinusoidal = dir.resolve("sinusoidal");
        ModelDirectory.save(GptInit.randomGpt(GptConfig.gpt2(2, 2, 8, 16, 20)
                .withPositionalEncoding(PositionalEncoding.SINUSOIDAL), 1), sinusoidal);
    }

    @Provide
    Arbitrary<JsonNode> anyValue() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.integers().between(-2, 64).map(i -> (Object) i),
                Arbitraries.of(Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, Long.MAX_VALUE,
                        new BigInteger("1000000000000000000000"), 1e9, 2.5, -0.0, Double.MAX_VALUE, 1e-300,
                        "gelu_new", "relu", "sinusoidal", "none", "post", "pre", "gpt2", "bert", "", "\u0000",
                        true, List.of(1, 2), Map.of("n", 1)).map(x -> x),
                Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s))
                .map(v -> v == null ? JSON.nullNode() : JSON.valueToTree(v));
    }

    @Provide
    Arbitrary<Map<String, JsonNode>> edits() {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().alpha().ofMaxLength(6));
        return Arbitraries.maps(field, anyValue()).ofMinSize(1).ofMaxSize(4);
    }

    private static Path edited(Path model, Map<String, JsonNode> edits, boolean remove) {
        try {
            Path dir = Files.createTempDirectory(model.getParent(), "edit");
            Files.copy(model.resolve(ModelDirectory.WEIGHTS), dir.resolve(ModelDirectory.WEIGHTS));
            ObjectNode config = (ObjectNode) JSON.readTree(model.resolve(ModelDirectory.CONFIG).toFile());
            edits.forEach((k, v) -> {
                if (remove && v.isNull()) {
                    config.remove(k);
                } else {
                    config.set(k, v);
                }
            });
            Files.write(dir.resolve(ModelDirectory.CONFIG), JSON.writeValueAsBytes(config));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 300)
    void configFieldsOfAnyValueReadOrFailCleanly(@ForAll("edits") Map<String, JsonNode> edits, @ForAll boolean remove) {
        Path dir = edited(learned, edits, remove);
        GptConfig c = Bounded.run(LIMIT, 1 << 20, () -> ModelDirectory.readConfig(dir)).counted()
                .valueOrClean(ModelFormatException.class);
        Bounded.bothOutcomesSeen();
        if (c != null) {
            assertThat(c.nEmbd() % c.nHead()).isZero();
            assertThat(3L * c.nEmbd()).isLessThanOrEqualTo(Integer.MAX_VALUE);
        }
    }

    @Provide
    Arbitrary<Map<String, JsonNode>> sizes() {
        Arbitrary<JsonNode> size = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 40),
                Arbitraries.of(1_000, 65_536, 1 << 20, 1_000_000_000, Integer.MAX_VALUE),
                Arbitraries.integers().greaterOrEqual(1)).map(i -> JSON.valueToTree(i));
        return Arbitraries.maps(Arbitraries.of("n_layer", "n_head", "n_embd", "n_positions", "vocab_size", "n_inner"), size)
                .ofMinSize(1).ofMaxSize(3);
    }

    /**
     * The weights file is a few KB: whatever the config claims, a load that reads it allocates a
     * few MB at most, because every claim is checked against the header before anything is built.
     */
    @Property(tries = 150)
    void claimedSizesLoadOrFailWithoutAllocatingPastTheWeights(@ForAll("sizes") Map<String, JsonNode> sizes,
            @ForAll boolean sinusoids) {
        Path dir = edited(sinusoids ? sinusoidal : learned, sizes, false);
        Gpt gpt = Bounded.run(LIMIT, 32L << 20, () -> ModelDirectory.load(dir)).counted()
                .valueOrClean(ModelFormatException.class);
        Bounded.bothOutcomesSeen();
        if (gpt != null) {
            assertThat(gpt.config().nLayer()).isEqualTo(2);
            assertThat(gpt.config().nEmbd()).isEqualTo(8);
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedConfigs() {
        byte[] original;
        try {
            original = Files.readAllBytes(learned.resolve(ModelDirectory.CONFIG));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, original.length - 1),
                Arbitraries.of((int) '9', (int) '-', (int) '"', (int) '{', (int) ',', 0, 0xFF, (int) 'e', (int) '.'))
                .as((at, value) -> new int[] {at, value});
        return Combinators.combine(edit.list().ofMinSize(1).ofMaxSize(3), Arbitraries.integers().between(0, original.length))
                .as((es, length) -> {
                    byte[] b = Arrays.copyOf(original, length);
                    for (int[] e : es) {
                        if (e[0] < b.length) {
                            b[e[0]] = (byte) e[1];
                        }
                    }
                    return b;
                });
    }

    @Property(tries = 300)
    void mutatedConfigBytesReadOrFailCleanly(@ForAll("mutatedConfigs") byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory(learned.getParent(), "bytes");
        Files.write(dir.resolve(ModelDirectory.CONFIG), bytes);
        Bounded.run(LIMIT, 1 << 20, () -> ModelDirectory.readConfig(dir)).valueOrClean(ModelFormatException.class);
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var paths = Files.walk(learned.getParent())) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
