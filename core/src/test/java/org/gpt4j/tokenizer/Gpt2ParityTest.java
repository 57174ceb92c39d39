package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** GPT-2 ids identical to JTokkit's r50k_base (= tiktoken's gpt2) and to the golden encodings. */
class Gpt2ParityTest {

    static final Encoding JTOKKIT = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    static final Tokenizer GPT2 = Tokenizers.gpt2();

    @Test
    void goldenEncodingsMatchId4Id() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = TestTexts.read("golden_encodings.jsonl").lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(25);
        for (String line : lines) {
            JsonNode node = mapper.readTree(line);
            String text = node.get("text").asText();
            int[] expected = mapper.convertValue(node.get("ids"), int[].class);
            assertThat(GPT2.encode(text)).as(text).containsExactly(expected);
            assertThat(GPT2.decode(expected)).isEqualTo(text);
        }
    }

    @Test
    void realTextExcerptsMatchJTokkit() {
        int ids = 0;
        for (String name : TestTexts.EXCERPTS) {
            String text = TestTexts.read(name);
            int[] expected = JTOKKIT.encodeOrdinary(text).toArray();
            assertThat(GPT2.encode(text)).as(name).containsExactly(expected);
            // Line by line too: different piece boundaries at the start and end of the input.
            for (String line : text.split("\n")) {
                assertThat(GPT2.encode(line)).as(line).containsExactly(JTOKKIT.encodeOrdinary(line).toArray());
            }
            ids += expected.length;
        }
        assertThat(ids).isGreaterThan(8_000);
    }

    @Test
    void projectSourceCodeMatchesJTokkit() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                assertThat(GPT2.encode(code)).as(file.toString()).containsExactly(JTOKKIT.encodeOrdinary(code).toArray());
            }
        }
    }

    @Test
    void edgeCasesMatchJTokkit() {
        String[] cases = {
            "", " ", "  ", "\n", "\n\n\n", " \n ", "\t\t x", "a  b   c    d", "word   ", "   word", "x \u00a0 y",
            "\u00a0\u00a0!", "\u3000\u3000中", "'s's 's 'S 'll've're'd'm't", "''s", "?'s", "a'b", " 'x", "1'2",
            "<|endoftext|>hello<|endoftext|>", "x".repeat(5000), " ".repeat(3000) + "x", "ab".repeat(2000),
            "😀".repeat(200), "🇩🇪\u200d", "e\u0301\u0301\u0301", "\u2028\u2029\u0085x", "١٢٣ ½Ⅻ", "𝐀𝐁𝐂 𝟏𝟐",
            "\r\n\r\n", "a\rb", "\u000b\u000c\u001c\u001f", "ǅ ǈ ʰ ー 々", "\uFEFFbom", "\u0000nul"
        };
        for (String text : cases) {
            assertThat(GPT2.encode(text)).as(text).containsExactly(JTOKKIT.encodeOrdinary(text).toArray());
        }
    }

    @Property(tries = 300)
    void randomMixedTextMatchesJTokkit(@ForAll("mixedText") String text) {
        assertThat(GPT2.encode(text)).containsExactly(JTOKKIT.encodeOrdinary(text).toArray());
    }

    /** Strings from the characters where GPT-2's pre-tokenisation has its corner cases. */
    @Provide
    static Arbitrary<String> mixedText() {
        Arbitrary<Character> tricky = Arbitraries.of(' ', ' ', ' ', '\t', '\n', '\r', '\u00a0', '\u3000', '\u2003', '\'',
                's', 't', 'r', 'e', 'v', 'l', 'd', 'm', 'S', 'x', '1', '9', '٣', '½', '.', ',', '!', '-', '_', '中', '文',
                'é', '\u0301', '\u200d', 'ー', '\uFF01');
        Arbitrary<String> emoji = Arbitraries.of("😀", "👍🏽", "𝐀", "𝟏", "🇩🇪");
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, tricky.map(String::valueOf)),
                net.jqwik.api.Tuple.of(1, emoji),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u2FFF').ofMaxLength(3)));
        return piece.list().ofMaxSize(40).map(l -> String.join("", l));
    }
}
