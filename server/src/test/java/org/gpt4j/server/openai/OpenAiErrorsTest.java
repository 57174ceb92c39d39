package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.gpt4j.generate.batch.EngineOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every error status in OpenAI's error object: 400 for each kind of bad request, 401, 404, 405,
 * 413, 429 and 500 (never a stack trace). The server has a key, a body bound of 4 KiB, a batch of
 * one and no queue.
 */
class OpenAiErrorsTest {

    static final String KEY = "sk-test-key";
    static TestServer server;
    static ApiClient client;
    static ApiClient anonymous;

    @BeforeAll
    static void start() {
        server = TestServer.start(ServerOptions.loopback(0).withApiKey(KEY).withMaxBodyBytes(4096).withMaxTokens(500),
                new EngineOptions(1, 0), 1024, false);
        anonymous = new ApiClient(server.base);
        client = anonymous.withKey(KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Asserts OpenAI's error object: all four fields present, a message without a stack trace. */
    static JsonNode error(ApiClient.Reply r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode e = r.json().get("error");
        assertThat(e).isNotNull();
        assertThat(r.json().size()).isEqualTo(1);
        for (String f : new String[] {"message", "type", "param", "code"}) {
            assertThat(e.has(f)).as(f).isTrue();
        }
        assertThat(e.get("message").asText()).isNotBlank().doesNotContain("\tat ", "Exception");
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                  | {"prompt": "x",                                     | 
            not an object             | ["prompt"]                                         | 
            empty body                |                                                    | 
            trailing garbage          | {"prompt": "x"} {}                                 | 
            max_tokens negative       | {"prompt": "x", "max_tokens": -1}                  | max_tokens
            max_tokens over the bound | {"prompt": "x", "max_tokens": 501}                 | max_tokens
            max_tokens a string       | {"prompt": "x", "max_tokens": "16"}                | max_tokens
            max_tokens fractional     | {"prompt": "x", "max_tokens": 1.5}                 | max_tokens
            temperature negative      | {"prompt": "x", "temperature": -1}                 | temperature
            temperature a string      | {"prompt": "x", "temperature": "hot"}              | temperature
            top_p zero                | {"prompt": "x", "top_p": 0}                        | top_p
            n zero                    | {"prompt": "x", "n": 0}                            | n
            n above the batch         | {"prompt": "x", "n": 2}                            | n
            presence_penalty 3        | {"prompt": "x", "presence_penalty": 3}             | presence_penalty
            logprobs 21               | {"prompt": "x", "logprobs": 21}                    | logprobs
            stop a number             | {"prompt": "x", "stop": 5}                         | stop
            empty stop string         | {"prompt": "x", "stop": [""]}                      | stop
            no prompt                 | {"max_tokens": 3}                                  | prompt
            prompt an object          | {"prompt": {"a": 1}}                               | prompt
            prompt mixed list         | {"prompt": ["a", 1]}                               | prompt
            prompt id outside vocab   | {"prompt": [50257]}                                | prompt
            prompt id negative        | {"prompt": [[1, -1]]}                              | prompt
            suffix                    | {"prompt": "x", "suffix": "y"}                     | suffix
            logit_bias above 100      | {"prompt": "x", "logit_bias": {"50256": -101}}     | logit_bias
            logit_bias key not an id  | {"prompt": "x", "logit_bias": {"the": 5}}          | logit_bias
            logit_bias not a number   | {"prompt": "x", "logit_bias": {"50256": "-5"}}     | logit_bias
            logit_bias id outside     | {"prompt": "x", "logit_bias": {"50257": 1}}        | logit_bias
            logit_bias a list         | {"prompt": "x", "logit_bias": [1]}                 | logit_bias
            logit_bias with beams     | {"prompt": "x", "logit_bias": {"5": 1}, "num_beams": 2} | logit_bias
            best_of above n           | {"prompt": "x", "best_of": 3}                      | best_of
            stream_options not object | {"prompt": "x", "stream": true, "stream_options": 1} | stream_options
            stream beams              | {"prompt": "x", "stream": true, "num_beams": 2}   | num_beams
            model not a string        | {"prompt": "x", "model": 7}                        | model
            """)
    void completionsBadRequests(String name, String body, String param) throws Exception {
        JsonNode e = error(client.post("/v1/completions", body == null ? "" : body), 400);
        assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
        if (param == null) {
            assertThat(e.get("param").isNull()).isTrue();
        } else {
            assertThat(e.get("param").asText()).isEqualTo(param);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no messages          | {"max_tokens": 3}                                                      | messages
            empty messages       | {"messages": []}                                                       | messages
            unknown role         | {"messages": [{"role": "tool", "content": "x"}]}                       | messages
            content missing      | {"messages": [{"role": "user"}]}                                       | messages
            image part           | {"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}   | messages
            top_logprobs alone   | {"messages": [{"role": "user", "content": "x"}], "top_logprobs": 2}   | top_logprobs
            max_completion 0     | {"messages": [{"role": "user", "content": "x"}], "max_completion_tokens": 0} | max_completion_tokens
            """)
    void chatBadRequests(String name, String body, String param) throws Exception {
        JsonNode e = error(client.post("/v1/chat/completions", body), 400);
        assertThat(e.get("param").asText()).isEqualTo(param);
    }

    @Test
    void aPromptThatFillsTheContextIs400() throws Exception {
        String body = "{\"prompt\": [" + "1,".repeat(1023) + "1]}";
        JsonNode e = error(client.post("/v1/completions", body), 400);
        assertThat(e.get("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(e.get("message").asText()).contains("1024");
    }

    @Test
    void withoutTheKeyOrWithAWrongOneIs401() throws Exception {
        JsonNode e = error(anonymous.post("/v1/completions", "{\"prompt\": \"x\"}"), 401);
        assertThat(e.get("code").asText()).isEqualTo("invalid_api_key");
        error(anonymous.withKey("sk-wrong").get("/v1/models"), 401);
        error(anonymous.withKey(KEY + "x").post("/tokenize", "{\"prompt\": \"x\"}"), 401);
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
        assertThat(client.get("/v1/models").status()).isEqualTo(200);
        // Refused before its route ran, the request still counts under its endpoint.
        assertThat(anonymous.get("/metrics").text()).contains("gpt4j_requests_total{endpoint=\"completions\",status=\"401\"}");
    }

    @Test
    void unknownModelAndRouteAre404() throws Exception {
        JsonNode e = error(client.post("/v1/completions", "{\"model\": \"gpt-4\", \"prompt\": \"x\"}"), 404);
        assertThat(e.get("code").asText()).isEqualTo("model_not_found");
        assertThat(e.get("param").asText()).isEqualTo("model");
        error(client.get("/v1/models/gpt-4"), 404);
        assertThat(error(client.get("/v1/engines"), 404).get("code").asText()).isEqualTo("unknown_url");
    }

    @Test
    void aWrongMethodIs405() throws Exception {
        assertThat(error(client.get("/v1/completions"), 405).get("code").asText()).isEqualTo("method_not_allowed");
        error(client.send(client.request("/v1/models").DELETE().build()), 405);
    }

    @Test
    void aBodyOverTheBoundIs413() throws Exception {
        String big = "{\"prompt\": \"" + "a".repeat(5000) + "\"}";
        assertThat(error(client.post("/v1/completions", big), 413).get("code").asText()).isEqualTo("request_too_large");
        // Without a Content-Length (chunked), the bound still holds.
        HttpRequest chunked = client.request("/v1/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build();
        error(client.send(chunked), 413);
    }

    @Test
    void anEngineFailureIs500WithoutAStackTrace() throws Exception {
        // A model whose weights hold a NaN: its logits are not finite, and the engine refuses to go on.
        org.gpt4j.model.Gpt broken = TestServer.model(64);
        broken.parameters().data("ln_f.weight")[0] = Float.NaN;
        ServerMetrics metrics = new ServerMetrics();
        ServedModel model = new ServedModel("broken", broken, TestServer.GPT2,
                new org.gpt4j.finetune.instruct.PlainTranscript(TestServer.GPT2, TestServer.endOfText()),
                new EngineOptions(2, 4), metrics.observe("broken"));
        OpenAiServer s = OpenAiServer.start(java.util.List.of(model), ServerOptions.loopback(0), metrics);
        try {
            String root = s.baseUrl().substring(0, s.baseUrl().length() - 3);
            ApiClient c = new ApiClient(root);
            JsonNode e = error(c.post("/v1/completions", "{\"prompt\": \"x\", \"max_tokens\": 2}"), 500);
            assertThat(e.get("type").asText()).isEqualTo("server_error");
            // Streamed, the status is sent before the failure: the error is the stream's last event.
            ApiClient.Stream stream = c.stream("/v1/chat/completions", ApiClient.JSON.readTree(
                    "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"stream\": true}"));
            assertThat(stream.data().getLast()).isEqualTo("[DONE]");
            JsonNode last = stream.chunks().getLast();
            assertThat(last.get("error").get("type").asText()).isEqualTo("server_error");
            assertThat(last.get("error").get("message").asText()).doesNotContain("Exception");
        } finally {
            s.close(1_000);
        }
    }

    @Test
    void aFullQueueIs429() throws Exception {
        server.pace(5);
        try {
            HttpResponse<InputStream> running = client.open("/v1/completions", ApiClient.JSON.readTree(
                    "{\"prompt\": \"long\", \"max_tokens\": 400, \"ignore_eos\": true, \"stream\": true}"));
            assertThat(server.awaitRunning(1, 10_000)).isTrue();
            ApiClient.Reply r = client.post("/v1/completions", "{\"prompt\": \"x\", \"max_tokens\": 1}");
            JsonNode e = error(r, 429);
            assertThat(e.get("code").asText()).isEqualTo("queue_full");
            assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
            running.body().close();
            assertThat(server.awaitRunning(0, 10_000)).isTrue();
        } finally {
            server.pace(0);
        }
        assertThat(client.post("/v1/completions", "{\"prompt\": \"x\", \"max_tokens\": 1}").status()).isEqualTo(200);
    }
}
