package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints beside completions: models, tokenize and detokenize, health, metrics. */
class OpenAiEndpointsTest {

    static TestServer server;
    static ApiClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = new ApiClient(server.base);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void modelsAreListedAsOpenAiListsThem() throws Exception {
        JsonNode list = client.get("/v1/models").json();
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).hasSize(1);
        JsonNode card = list.get("data").get(0);
        assertThat(card.get("id").asText()).isEqualTo(TestServer.MODEL);
        assertThat(card.get("object").asText()).isEqualTo("model");
        assertThat(card.get("owned_by").asText()).isEqualTo("gpt4j");
        assertThat(card.get("max_model_len").asInt()).isEqualTo(64);
        assertThat(card.get("created").asLong()).isPositive();
        assertThat(client.get("/v1/models/" + TestServer.MODEL).json()).isEqualTo(card);
    }

    @Test
    void tokenizeAndDetokenizeRoundTrip() throws Exception {
        String text = "Tokenize me, 世界!";
        JsonNode t = client.post("/tokenize", "{\"model\": \"tiny\", \"prompt\": " + ApiClient.JSON.writeValueAsString(text) + "}")
                .json();
        int[] expected = TestServer.GPT2.encode(text);
        assertThat(t.get("count").asInt()).isEqualTo(expected.length);
        assertThat(t.get("max_model_len").asInt()).isEqualTo(64);
        int[] ids = new int[t.get("tokens").size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = t.get("tokens").get(i).asInt();
        }
        assertThat(ids).containsExactly(expected);
        JsonNode d = client.post("/detokenize", "{\"tokens\": " + Arrays.toString(ids) + "}").json();
        assertThat(d.get("prompt").asText()).isEqualTo(text);
        assertThat(client.post("/detokenize", "{\"tokens\": [99999]}").status()).isEqualTo(400);
        assertThat(client.post("/tokenize", "{\"text\": \"no prompt\"}").status()).isEqualTo(400);
    }

    @Test
    void healthAnswersOk() throws Exception {
        ApiClient.Reply r = client.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void metricsCountRequestsTokensAndSteps() throws Exception {
        client.post("/v1/completions", "{\"prompt\": \"Count me\", \"max_tokens\": 5, \"ignore_eos\": true}");
        client.post("/v1/completions", "{\"prompt\": \"Count me\", \"max_tokens\": -1}");
        ApiClient.Reply r = client.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String m = r.text();
        assertThat(value(m, "gpt4j_requests_total{endpoint=\"completions\",status=\"200\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(m, "gpt4j_requests_total{endpoint=\"completions\",status=\"400\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(m, "gpt4j_generation_tokens_total{model=\"tiny\"}")).isGreaterThanOrEqualTo(5);
        assertThat(value(m, "gpt4j_prompt_tokens_total{model=\"tiny\"}")).isGreaterThanOrEqualTo(2);
        assertThat(value(m, "gpt4j_queue_depth{model=\"tiny\"}")).isZero();
        assertThat(value(m, "gpt4j_running_sequences{model=\"tiny\"}")).isZero();
        assertThat(value(m, "gpt4j_batch_size_count{model=\"tiny\"}")).isGreaterThanOrEqualTo(5);
        assertThat(value(m, "gpt4j_time_to_first_token_seconds_count{model=\"tiny\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(m, "gpt4j_request_duration_seconds_count{endpoint=\"completions\"}")).isGreaterThanOrEqualTo(2);
        assertThat(m).contains("gpt4j_step_duration_seconds_bucket{model=\"tiny\",le=\"0.01\"}")
                .contains("gpt4j_generation_tokens_per_second{model=\"tiny\"}");
    }

    private static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(series.length() + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError(series + " is not in /metrics"));
    }
}
