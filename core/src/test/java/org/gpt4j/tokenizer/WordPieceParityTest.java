package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ids of Hugging Face's BERT tokenizer (tokenizers' BertNormalizer + BertPreTokenizer +
 * WordPiece, as transformers' BertTokenizer runs them) on Google's vocabularies, line for line:
 * fixtures from tools/reference/wordpiece_reference.py.
 */
class WordPieceParityTest {

    static final String FIXTURE = "/fixtures/wordpiece/wordpiece_reference.jsonl";
    private static final Map<String, WordPieceTokenizer> TOKENIZERS = new HashMap<>();

    /** The test resource directory holding a real BERT vocabulary (bert-base-uncased or bert-base-chinese). */
    static Path vocabDir(String name) {
        try {
            return Path.of(WordPieceParityTest.class.getResource("/tokenizer/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized WordPieceTokenizer tokenizer(String vocab, boolean lowercase) throws IOException {
        String key = vocab + lowercase;
        if (!TOKENIZERS.containsKey(key)) {
            Path dir = vocabDir(vocab);
            TOKENIZERS.put(key, WordPieceFiles.read(dir.resolve(WordPieceFiles.VOCAB), WordPieceConfig.bert(lowercase)));
        }
        return TOKENIZERS.get(key);
    }

    @Test
    void everyFixtureLineGivesHuggingFacesIdsAndTokenTypes() throws IOException {
        List<String> lines = TestTexts.readResource(FIXTURE).lines().toList();
        assertThat(lines).hasSizeGreaterThan(450);
        int chinese = check(lines);
        assertThat(chinese).isGreaterThan(100);
    }

    /** A bigger fixture kept out of the repository (research-use text): -Dwordpiece.fixture=FILE. */
    @Test
    void localFixtureWhenGiven() throws IOException {
        String file = System.getProperty("wordpiece.fixture");
        Assumptions.assumeTrue(file != null, "no -Dwordpiece.fixture");
        List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        check(lines);
        System.out.println("wordpiece.fixture: all " + lines.size() + " lines match");
    }

    /** Checks each line; returns how many use the Chinese vocabulary. */
    private static int check(List<String> lines) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        int chinese = 0;
        for (String line : lines) {
            JsonNode node = mapper.readTree(line);
            String vocab = node.get("vocab").asText();
            WordPieceTokenizer tok = tokenizer(vocab, node.get("config").get("do_lower_case").asBoolean());
            chinese += vocab.equals("bert-base-chinese") ? 1 : 0;
            String text = node.get("text").asText();
            String pair = node.has("pair") ? node.get("pair").asText() : null;
            String where = vocab + ": " + BpeVocabulary.quote(text) + (pair == null ? "" : " / " + BpeVocabulary.quote(pair));
            BertEncoding enc = tok.encodePair(text, pair);
            if (node.has("tokens")) {
                List<String> expected = mapper.convertValue(node.get("tokens"), mapper.getTypeFactory()
                        .constructCollectionType(List.class, String.class));
                assertThat(java.util.Arrays.stream(enc.ids()).mapToObj(tok::tokenText).toList()).as(where)
                        .containsExactlyElementsOf(expected);
            }
            assertThat(enc.ids()).as(where).containsExactly(mapper.convertValue(node.get("ids"), int[].class));
            assertThat(enc.tokenTypeIds()).as(where).containsExactly(mapper.convertValue(node.get("token_type_ids"), int[].class));
            if (node.has("special_ids")) {
                BertEncoding special = tok.assemble(tok.encodeWithSpecialTokens(text),
                        pair == null ? null : tok.encodeWithSpecialTokens(pair));
                assertThat(special.ids()).as("special tokens: " + where)
                        .containsExactly(mapper.convertValue(node.get("special_ids"), int[].class));
            }
        }
        return chinese;
    }
}
