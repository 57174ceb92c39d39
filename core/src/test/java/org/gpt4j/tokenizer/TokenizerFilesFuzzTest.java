package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.gpt4j.io.Bounded;
import org.gpt4j.io.ModelFormatException;

/**
 * The tokenizer files (vocab.json + merges.txt, tokenizer.json, char_vocab.json, BERT's vocab.txt
 * + tokenizer_config.json) on random and mutated input: a tokenizer that loads and round-trips its
 * own tokens, or one {@link ModelFormatException}, within bounds.
 */
class TokenizerFilesFuzzTest {

    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final long MAX_BYTES = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path VOCAB = Path.of("vocab.json");
    private static final Path MERGES = Path.of("merges.txt");

    /** The little valid vocabulary of {@link BadInputTest}: the 256 bytes, "ab", "abc", <|endoftext|>. */
    private static byte[] vocab;
    private static Path dir;

    @BeforeContainer
    static void valid() throws IOException {
        StringBuilder sb = new StringBuilder("{");
        int id = 0;
        for (char c = 0; c < 0x144; c++) {
            if (ByteLevel.byteOf(c) >= 0) {
                sb.append(BadInputTest.json(String.valueOf(c))).append(": ").append(id++).append(", ");
            }
        }
        sb.append("\"ab\": 256, \"abc\": 257, \"<|endoftext|>\": 258}");
        vocab = sb.toString().getBytes(StandardCharsets.UTF_8);
        dir = Files.createTempDirectory("tokenizer-fuzz");
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A loaded tokenizer is usable: every token's bytes decode back from its id. */
    private static void usable(Tokenizer t) {
        if (t == null) {
            return;
        }
        for (int id = 0; id < t.vocabSize(); id++) {
            assertThat(t.tokenBytes(id)).isNotNull();
        }
    }

    private static byte[] edited(byte[] original, List<int[]> edits, int length) {
        byte[] b = Arrays.copyOf(original, Math.min(length, original.length));
        for (int[] e : edits) {
            if (e[0] < b.length) {
                b[e[0]] = (byte) e[1];
            }
        }
        return b;
    }

    @Provide
    Arbitrary<byte[]> mutatedVocabularies() {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, vocab.length - 1),
                Arbitraries.of((int) '"', (int) ':', (int) ',', (int) '9', (int) '-', (int) '}', (int) '\\', 0x80, 0xC3, (int) 'a'))
                .as((at, v) -> new int[] {at, v});
        return Combinators.combine(edit.list().ofMinSize(1).ofMaxSize(3), Arbitraries.integers().between(0, vocab.length))
                .as((es, length) -> edited(vocab, es, length));
    }

    @Provide
    Arbitrary<byte[]> merges() {
        Arbitrary<String> token = Arbitraries.of("a", "b", "c", "ab", "abc", "zz", "\u0120", "", "<|endoftext|>", "#version: 0.2");
        Arbitrary<String> line = Combinators.combine(token, Arbitraries.of(" ", "  ", "\t", ""), token)
                .as((l, sep, r) -> l + sep + r);
        Arbitrary<byte[]> text = line.list().ofMaxSize(6)
                .flatMap(ls -> Arbitraries.of("\n", "\r\n").map(nl -> String.join(nl, ls).getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.oneOf(text, Arbitraries.bytes().array(byte[].class).ofMaxSize(40));
    }

    @Property(tries = 300)
    void vocabAndMergesLoadOrFailCleanly(@ForAll("mutatedVocabularies") byte[] vocabJson, @ForAll("merges") byte[] mergesTxt) {
        usable(Bounded.run(LIMIT, MAX_BYTES, () -> Gpt2Files.read(VOCAB, vocabJson, MERGES, mergesTxt,
                new LinkedHashMap<>(), null)).valueOrClean(ModelFormatException.class));
    }

    @Property(tries = 300)
    void theValidVocabularyWithAnyMergesLoadsOrFailsCleanly(@ForAll("merges") byte[] mergesTxt) {
        usable(Bounded.run(LIMIT, MAX_BYTES, () -> Gpt2Files.read(VOCAB, vocab, MERGES, mergesTxt,
                new LinkedHashMap<>(), "<|endoftext|>")).counted().valueOrClean(ModelFormatException.class));
        Bounded.bothOutcomesSeen();
    }

    @Provide
    Arbitrary<String> tokenizerJsons() {
        Arbitrary<Object> value = Arbitraries.of("BPE", "WordPiece", "ByteLevel", "", "a b", 3, -1, Integer.MAX_VALUE,
                1L << 40, 2.5, true, List.of("a", "b"), List.of("a b"), List.of(List.of("a", "b")), List.of(1));
        Arbitrary<String> key = Arbitraries.of("type", "vocab", "merges", "unk_token", "add_prefix_space", "use_regex",
                "content", "id", "continuing_subword_prefix");
        Arbitrary<ObjectNode> obj = Arbitraries.maps(key, value).ofMaxSize(4).map(m -> JSON.valueToTree(m));
        return Combinators.combine(obj, obj, obj, obj.list().ofMaxSize(2), Arbitraries.of(true, false))
                .as((model, pre, vocabObj, added, byteLevel) -> {
                    ObjectNode root = JSON.createObjectNode();
                    model.set("vocab", vocabObj);
                    if (!model.has("merges")) {
                        model.putArray("merges").add("a b");
                    }
                    root.set("model", model);
                    if (byteLevel) {
                        pre.put("type", "ByteLevel");
                    }
                    root.set("pre_tokenizer", pre);
                    ArrayNode a = root.putArray("added_tokens");
                    added.forEach(a::add);
                    return root.toString();
                });
    }

    @Property(tries = 300)
    void tokenizerJsonLoadsOrFailsCleanly(@ForAll("tokenizerJsons") String json) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json);
        usable(Bounded.run(LIMIT, MAX_BYTES, () -> HfTokenizerJson.read(file)).valueOrClean(ModelFormatException.class));
    }

    @Property(tries = 300)
    void charVocabularyLoadsOrFailsCleanly(@ForAll @Size(max = 60) byte[] prefix,
            @ForAll("charVocabs") String json, @ForAll boolean raw) throws IOException {
        Path file = dir.resolve("char_vocab.json");
        Files.write(file, raw ? prefix : json.getBytes(StandardCharsets.UTF_8));
        usable(Bounded.run(LIMIT, MAX_BYTES, () -> CharVocabJson.read(file)).counted().valueOrClean(ModelFormatException.class));
        Bounded.bothOutcomesSeen();
    }

    @Property(tries = 300)
    void bertVocabTxtLoadsOrFailsCleanly(@ForAll("vocabTxtLines") List<String> lines, @ForAll @Size(max = 40) byte[] noise,
            @ForAll("rarely") boolean withNoise, @ForAll("tokenizerConfigs") String config) throws IOException {
        Path bert = Files.createDirectories(dir.resolve("bert"));
        byte[] text = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        Files.write(bert.resolve("vocab.txt"), withNoise ? concat(text, noise) : text);
        Files.deleteIfExists(bert.resolve("tokenizer_config.json"));
        if (config != null) {
            Files.writeString(bert.resolve("tokenizer_config.json"), config);
        }
        Tokenizer t = Bounded.run(LIMIT, MAX_BYTES, () -> Tokenizers.load(bert)).counted().valueOrClean(ModelFormatException.class);
        usable(t);
        if (t != null) {
            assertThat(Arrays.stream(t.encode("[UNK] word ##x, 中文 Wörd")).allMatch(id -> id >= 0 && id < t.vocabSize())).isTrue();
        }
        Bounded.bothOutcomesSeen();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Provide
    Arbitrary<Boolean> rarely() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(true)), net.jqwik.api.Tuple.of(4, Arbitraries.just(false)));
    }

    @Provide
    Arbitrary<List<String>> vocabTxtLines() {
        Arbitrary<String> line = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "word", "##x", ",", "中", "w", "##ö")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "\r", " ", "##", "<unk>")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(5)));
        // Mostly distinct lines (a repeated token is refused whatever else the file holds).
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, line.list().uniqueElements().ofMaxSize(14).map(l -> {
                    List<String> withUnk = new java.util.ArrayList<>(List.of("[UNK]"));
                    l.stream().filter(t -> !t.equals("[UNK]")).forEach(withUnk::add);
                    return withUnk;
                })),
                net.jqwik.api.Tuple.of(1, line.list().ofMaxSize(14)));
    }

    @Provide
    Arbitrary<String> tokenizerConfigs() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(null, "{}", "{\"do_lower_case\": false}", "{\"unk_token\": {\"content\": \"[UNK]\"}}",
                        "{\"strip_accents\": null, \"tokenize_chinese_chars\": false}")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("{\"do_lower_case\": 1}", "{\"unk_token\": \"<unk>\"}",
                        "{\"max_input_chars_per_word\": -3}", "[1, 2]", "{\"do_lower_case\": ", "")));
    }

    @Provide
    Arbitrary<String> charVocabs() {
        Arbitrary<Object> type = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just((Object) "char")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("bpe", "", 1, true).map(x -> x)));
        Arbitrary<Object> chars = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s),
                Arbitraries.of("abc", "aab", "\uD83D\uDE00x", "\uD800", 7, List.of("a")).map(x -> x));
        Arbitrary<Object> unknown = Arbitraries.of("?", "", "ab", "\uD83D\uDE00", 1, false).map(x -> (Object) x).injectNull(0.5);
        return Combinators.combine(type, chars, unknown, Arbitraries.of(true, false)).as((t, c, u, withUnknown) -> {
            ObjectNode o = JSON.createObjectNode();
            o.set("type", JSON.valueToTree(t));
            o.set("chars", JSON.valueToTree(c));
            if (withUnknown) {
                o.set("unknown", u == null ? JSON.nullNode() : JSON.valueToTree(u));
            }
            return o.toString();
        });
    }
}
