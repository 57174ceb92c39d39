package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/completions} over HTTP, whole and streamed, against the Generator as the oracle. */
class OpenAiCompletionsTest {

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

    static ObjectNode body(String prompt, int maxTokens) {
        ObjectNode b = ApiClient.JSON.createObjectNode();
        b.put("model", TestServer.MODEL).put("prompt", prompt).put("max_tokens", maxTokens);
        return b;
    }

    /** The generator's greedy or seeded tokens for a prompt, the end-of-text that stopped it left out. */
    static int[] oracle(String prompt, GenerationConfig.Builder config) {
        int eot = TestServer.endOfText().getAsInt();
        int[] ids = new Generator(TestServer.model(64)).generate(TestServer.GPT2.encode(prompt),
                config.eosTokenId(eot).build()).getFirst().tokens();
        return ids.length > 0 && ids[ids.length - 1] == eot ? Arrays.copyOf(ids, ids.length - 1) : ids;
    }

    static List<String> tokenTexts(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(TestServer.GPT2.tokenText(id));
        }
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void greedyCompletionIsTheGeneratorsGreedyText() throws Exception {
        ObjectNode b = body("The meaning of life is", 12).put("temperature", 0).put("logprobs", 0);
        ApiClient.Reply r = client.post("/v1/completions", b);
        assertThat(r.status()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.get("id").asText()).startsWith("cmpl-");
        assertThat(json.get("object").asText()).isEqualTo("text_completion");
        assertThat(json.get("model").asText()).isEqualTo(TestServer.MODEL);
        assertThat(json.get("created").asLong()).isPositive();
        int[] expected = oracle("The meaning of life is", GenerationConfig.builder().maxNewTokens(12));
        JsonNode choice = json.get("choices").get(0);
        assertThat(texts(choice.get("logprobs").get("tokens"))).isEqualTo(tokenTexts(expected));
        assertThat(choice.get("text").asText()).isEqualTo(TestServer.GPT2.decode(expected));
        assertThat(choice.get("finish_reason").asText()).isEqualTo(expected.length == 12 ? "length" : "stop");
        JsonNode usage = json.get("usage");
        int promptTokens = TestServer.GPT2.encode("The meaning of life is").length;
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(promptTokens);
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(expected.length);
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(promptTokens + expected.length);
    }

    @Test
    void seededSamplingIsTheGeneratorsTextForThatSeed() throws Exception {
        ObjectNode b = body("Once upon a time", 15).put("temperature", 0.9).put("top_k", 50).put("seed", 11);
        String text = client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText();
        int[] expected = oracle("Once upon a time", GenerationConfig.builder().maxNewTokens(15).doSample(true)
                .temperature(0.9).topK(50).seed(11));
        assertThat(text).isEqualTo(TestServer.GPT2.decode(expected));
        assertThat(client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText()).isEqualTo(text);
        b.put("seed", 12);
        assertThat(client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText()).isNotEqualTo(text);
    }

    @Test
    void streamedTextJoinsToTheWholeAnswer() throws Exception {
        ObjectNode b = body("In the beginning", 20).put("seed", 5);
        String whole = client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText();
        b.put("stream", true);
        b.putObject("stream_options").put("include_usage", true);
        ApiClient.Stream s = client.stream("/v1/completions", b);
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.contentType()).startsWith("text/event-stream");
        assertThat(s.data().getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = s.chunks();
        StringBuilder text = new StringBuilder();
        String finish = null;
        String id = chunks.getFirst().get("id").asText();
        for (JsonNode c : chunks.subList(0, chunks.size() - 1)) {
            assertThat(c.get("id").asText()).isEqualTo(id);
            assertThat(c.get("object").asText()).isEqualTo("text_completion");
            JsonNode choice = c.get("choices").get(0);
            assertThat(finish).as("nothing after the finish reason").isNull();
            text.append(choice.get("text").asText());
            if (!choice.get("finish_reason").isNull()) {
                finish = choice.get("finish_reason").asText();
            }
        }
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(finish).isIn("stop", "length");
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isPositive();
    }

    @Test
    void nChoicesOfSeveralPromptsAreNumberedPromptMajor() throws Exception {
        ObjectNode b = ApiClient.JSON.createObjectNode().put("max_tokens", 6).put("n", 2).put("seed", 3)
                .put("temperature", 1.0);
        b.putArray("prompt").add("Hello").add("Goodbye");
        JsonNode json = client.post("/v1/completions", b).json();
        JsonNode choices = json.get("choices");
        assertThat(choices).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(choices.get(i).get("index").asInt()).isEqualTo(i);
        }
        // Choice 0 of each prompt is what that prompt alone gives with the seed.
        for (int p = 0; p < 2; p++) {
            ObjectNode alone = body(p == 0 ? "Hello" : "Goodbye", 6).put("seed", 3);
            String text = client.post("/v1/completions", alone).json().get("choices").get(0).get("text").asText();
            assertThat(choices.get(p * 2).get("text").asText()).isEqualTo(text);
        }
        assertThat(choices.get(0).get("text").asText()).isNotEqualTo(choices.get(1).get("text").asText());
        int promptTokens = TestServer.GPT2.encode("Hello").length + TestServer.GPT2.encode("Goodbye").length;
        assertThat(json.get("usage").get("prompt_tokens").asInt()).isEqualTo(promptTokens);
    }

    @Test
    void promptsAsTokenIdsAreTheSameAsTheirText() throws Exception {
        int[] ids = TestServer.GPT2.encode("A short prompt");
        ObjectNode b = body("A short prompt", 8).put("temperature", 0);
        String text = client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText();
        var list = b.putArray("prompt");
        Arrays.stream(ids).forEach(list::add);
        assertThat(client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText()).isEqualTo(text);
        ObjectNode nested = body("x", 8).put("temperature", 0);
        var outer = nested.putArray("prompt");
        var inner = outer.addArray();
        Arrays.stream(ids).forEach(inner::add);
        assertThat(client.post("/v1/completions", nested).json().get("choices").get(0).get("text").asText()).isEqualTo(text);
    }

    @Test
    void stopStringEndsTheTextBeforeIt() throws Exception {
        ObjectNode b = body("The", 30).put("temperature", 0);
        String full = client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText();
        assertThat(full.length()).isGreaterThan(6);
        // A stop string from the middle of the greedy text: the answer is the text before it.
        String stop = full.substring(4, 6);
        b.put("stop", stop);
        JsonNode choice = client.post("/v1/completions", b).json().get("choices").get(0);
        assertThat(choice.get("text").asText()).isEqualTo(full.substring(0, full.indexOf(stop)));
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        b.putArray("stop").add("\u0000never").add(stop);
        assertThat(client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText())
                .isEqualTo(full.substring(0, full.indexOf(stop)));
    }

    @Test
    void echoWithLogprobsScoresThePromptToo() throws Exception {
        String prompt = "Echo this prompt";
        int promptTokens = TestServer.GPT2.encode(prompt).length;
        ObjectNode b = body(prompt, 5).put("temperature", 0).put("echo", true).put("logprobs", 3);
        JsonNode choice = client.post("/v1/completions", b).json().get("choices").get(0);
        assertThat(choice.get("text").asText()).startsWith(prompt);
        JsonNode lp = choice.get("logprobs");
        assertThat(lp.get("tokens")).hasSize(promptTokens + 5);
        assertThat(lp.get("token_logprobs").get(0).isNull()).isTrue();
        assertThat(lp.get("top_logprobs").get(0).isNull()).isTrue();
        for (int i = 1; i < promptTokens + 5; i++) {
            assertThat(lp.get("token_logprobs").get(i).asDouble()).isNegative();
            assertThat(lp.get("top_logprobs").get(i).size()).isBetween(1, 3);
        }
        // Greedy: each generated token is the best of its alternatives.
        for (int i = promptTokens; i < promptTokens + 5; i++) {
            double best = 0;
            double chosen = lp.get("token_logprobs").get(i).asDouble();
            var it = lp.get("top_logprobs").get(i).elements();
            best = it.next().asDouble();
            assertThat(chosen).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-5));
        }
        JsonNode offsets = lp.get("text_offset");
        assertThat(offsets.get(0).asInt()).isZero();
        assertThat(offsets.get(promptTokens).asInt()).isEqualTo(prompt.length());
        b.put("logprobs", (String) null);
        assertThat(client.post("/v1/completions", b).json().get("choices").get(0).get("text").asText())
                .isEqualTo(choice.get("text").asText());
    }

    @Test
    void maxTokensZeroWithEchoScoresThePromptOnly() throws Exception {
        String prompt = "The meaning of life is to";
        ObjectNode scoring = body(prompt, 0).put("echo", true).put("logprobs", 1);
        JsonNode choice = client.post("/v1/completions", scoring).json().get("choices").get(0);
        assertThat(choice.get("text").asText()).isEqualTo(prompt);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        int promptTokens = TestServer.GPT2.encode(prompt).length;
        JsonNode scored = choice.get("logprobs").get("token_logprobs");
        assertThat(scored).hasSize(promptTokens);
        // The same scores as a request that also generates.
        JsonNode longer = client.post("/v1/completions", body(prompt, 2).put("echo", true).put("logprobs", 1)
                .put("temperature", 0)).json().get("choices").get(0).get("logprobs").get("token_logprobs");
        for (int i = 1; i < promptTokens; i++) {
            assertThat(scored.get(i).asDouble()).isEqualTo(longer.get(i).asDouble());
        }
        JsonNode plain = client.post("/v1/completions", body(prompt, 0)).json();
        assertThat(plain.get("choices").get(0).get("text").asText()).isEmpty();
        assertThat(plain.get("usage").get("completion_tokens").asInt()).isZero();
    }

    @Test
    void logitBiasBansAndForcesTokens() throws Exception {
        int[] greedy = oracle("The meaning of life is", GenerationConfig.builder().maxNewTokens(4));
        ObjectNode banned = body("The meaning of life is", 4).put("temperature", 0).put("logprobs", 0);
        banned.putObject("logit_bias").put(String.valueOf(greedy[0]), -100);
        JsonNode tokens = client.post("/v1/completions", banned).json().get("choices").get(0).get("logprobs").get("tokens");
        assertThat(tokens.get(0).asText()).isNotEqualTo(TestServer.GPT2.tokenText(greedy[0]));
        int forced = TestServer.GPT2.encode(" banana")[0];
        ObjectNode sampled = body("The meaning of life is", 5).put("temperature", 1).put("seed", 3).put("logprobs", 0);
        sampled.putObject("logit_bias").put(String.valueOf(forced), 100);
        assertThat(texts(client.post("/v1/completions", sampled).json().get("choices").get(0).get("logprobs").get("tokens")))
                .containsOnly(TestServer.GPT2.tokenText(forced)).hasSize(5);
    }

    @Test
    void defaultsAreOpenAisAndUnknownFieldsAreIgnored() throws Exception {
        ObjectNode b = ApiClient.JSON.createObjectNode().put("prompt", "Defaults").put("ignore_eos", true)
                .put("user", "someone").put("logit_bias", (String) null);
        b.putObject("a_field_from_the_future").put("x", 1);
        JsonNode json = client.post("/v1/completions", b).json();
        assertThat(json.get("usage").get("completion_tokens").asInt()).isEqualTo(16);
        assertThat(json.get("choices").get(0).get("logprobs").isNull()).isTrue();
    }
}
