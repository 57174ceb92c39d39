package org.gpt4j.server.studio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The studio on a BERT directory: what it says the model is, the encoder's architecture, tokens
 * with [CLS] and [SEP], attention both ways, the masked-word view, and the GPT-only views refused
 * with a message that names the model.
 */
class StudioBertApiTest {

    private static final String TEXT = "the quick brown fox jumps over the lazy dog .";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static Path modelDir;
    private static StudioApi api;

    @BeforeAll
    static void open() throws Exception {
        modelDir = TestModels.bert(temp.resolve("bert"));
        api = new StudioApi(Studio.open(modelDir));
    }

    private static JsonNode get(String path, String query) throws Exception {
        StudioApi.Reply r = api.handle("GET", path, query, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String text() {
        return "text=" + URLEncoder.encode(TEXT, StandardCharsets.UTF_8);
    }

    @Test
    void modelInfoAndArchitectureDescribeTheEncoder() throws Exception {
        JsonNode m = get("/api/model", "");
        assertThat(m.path("arch").asText()).isEqualTo("bert");
        assertThat(m.path("n_layer").asInt()).isEqualTo(2);
        assertThat(m.path("layer_norm").asText()).isEqualTo("post");
        long total = BertLayout.of(BertConfig.of(TestModels.BERT_VOCAB.size(), 16, 2, 2)).totalCount();
        assertThat(m.path("parameters").asLong()).isEqualTo(total);
        JsonNode r = get("/api/architecture", text());
        assertThat(r.path("length").asInt()).as("[CLS] + 10 words + [SEP]").isEqualTo(12);
        assertThat(r.path("flow").findValuesAsText("id")).containsExactly("tokens", "wte", "wpe", "wtt", "ln_e",
                "encoder_blocks", "mlm_transform", "mlm_decoder", "mlm_softmax", "pooler", "nsp");
        long stages = 0;
        for (JsonNode s : r.path("flow")) {
            stages += s.path("parameters").asLong();
        }
        assertThat(stages).as("the stages count every parameter once").isEqualTo(total);
        assertThat(r.path("block").findValuesAsText("id")).contains("scores_bidirectional").endsWith("ln_2");
    }

    @Test
    void tokensAreWrappedInClsAndSep() throws Exception {
        JsonNode r = get("/api/tokens", text());
        assertThat(r.path("count").asInt()).isEqualTo(12);
        assertThat(r.path("tokens").get(0).path("text").asText()).isEqualTo("[CLS]");
        assertThat(r.path("tokens").get(11).path("text").asText()).isEqualTo("[SEP]");
        assertThat(get("/api/count", text()).path("context").asInt()).isEqualTo(512);
    }

    @Test
    void attentionLooksBothWaysAndItsStepsEndInTheTracedProbabilities() throws Exception {
        JsonNode r = get("/api/attention", text() + "&layer=1&head=0");
        assertThat(r.path("causal").asBoolean()).isFalse();
        JsonNode probs = r.path("detail").path("probabilities");
        double later = 0;
        for (int q = 0; q < 12; q++) {
            double row = 0;
            for (int k = 0; k < 12; k++) {
                row += probs.get(q).get(k).asDouble();
                later += k > q ? probs.get(q).get(k).asDouble() : 0;
            }
            assertThat(row).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-3));
        }
        assertThat(later).as("attention on later tokens: no causal mask").isGreaterThan(1);
        JsonNode steps = r.path("detail").path("steps");
        assertThat(steps.path("masked")).isEqualTo(steps.path("scaled")).as("nothing masked in one unpadded sequence");
        // softmax of the scaled scores is the traced row
        JsonNode scaled = steps.path("scaled").get(3);
        double z = 0;
        for (JsonNode v : scaled) {
            z += Math.exp(v.asDouble());
        }
        assertThat(Math.exp(scaled.get(5).asDouble()) / z).isCloseTo(steps.path("softmax").get(3).get(5).asDouble(),
                org.assertj.core.data.Offset.offset(2e-3));
    }

    @Test
    void hiddenStatesAtEveryDepthAreProjected() throws Exception {
        JsonNode r = get("/api/embeddings", text() + "&layer=2&position=4");
        assertThat(r.path("layer_names")).hasSize(4).as("wte, the embeddings' output, then each block");
        assertThat(r.path("layer_names").get(3).asText()).isEqualTo("after block 1");
        assertThat(r.path("points")).hasSize(12);
        assertThat(r.path("neighbours").path("text").asText()).isEqualTo("fox");
        assertThat(r.path("neighbours").path("in_vocabulary")).hasSize(8);
        JsonNode words = get("/api/embeddings", text() + "&layer=-1&position=1");
        assertThat(words.path("neighbours").path("in_vocabulary").get(0).path("text").asText())
                .as("a word embedding is nearest to itself").isEqualTo("the");
    }

    @Test
    void maskedWordViewRanksTheVocabularyForTheHiddenToken() throws Exception {
        JsonNode r = get("/api/masked", text());
        assertThat(r.path("position").asInt()).as("the first word after [CLS]").isEqualTo(1);
        assertThat(r.path("original").asText()).isEqualTo("the");
        assertThat(r.path("candidates")).hasSize(10);
        double previous = 1;
        double sum = 0;
        for (JsonNode c : r.path("candidates")) {
            assertThat(c.path("probability").asDouble()).isLessThanOrEqualTo(previous);
            previous = c.path("probability").asDouble();
            sum += previous;
        }
        assertThat(sum).isLessThanOrEqualTo(1.0001);
        int rank = r.path("original_rank").asInt();
        if (rank < 10) {
            assertThat(r.path("candidates").get(rank).path("token").asText()).isEqualTo("the");
        }
        JsonNode fox = get("/api/masked", text() + "&position=4");
        assertThat(fox.path("original").asText()).isEqualTo("fox");
        assertThat(fox.path("labels").get(4).asText()).isEqualTo("fox");
        StudioApi.Reply past = api.handle("GET", "/api/masked", text() + "&position=12", null);
        assertThat(past.status()).isEqualTo(400);
    }

    @Test
    void gptOnlyViewsAreRefusedNamingTheBert() throws Exception {
        for (String path : new String[] {"/api/positions", "/api/generation"}) {
            StudioApi.Reply r = api.handle("GET", path, text(), null);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.text()).contains("is a BERT").contains("masked words");
        }
    }

    @Test
    void theMaskedWordViewOnAGptIsRefused() throws Exception {
        Path gpt = TestModels.tiny(temp.resolve("gpt"), org.gpt4j.model.PositionalEncoding.LEARNED);
        StudioApi r = new StudioApi(Studio.open(gpt));
        StudioApi.Reply reply = r.handle("GET", "/api/masked", text(), null);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text()).contains("is a GPT");
    }
}
