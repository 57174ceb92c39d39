package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.gpt4j.finetune.instruct.ChatTemplate;
import org.gpt4j.finetune.instruct.Message;
import org.gpt4j.generate.batch.EngineOptions;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/chat/completions}: the model's chat format, whole and streamed answers, logprobs. */
class OpenAiChatTest {

    static TestServer server;
    static ApiClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(ServerOptions.loopback(0), new EngineOptions(8, 64), 64, true);
        client = new ApiClient(server.base);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode chat(String model, String user) {
        ObjectNode b = ApiClient.JSON.createObjectNode().put("model", model);
        ArrayNode messages = b.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are terse.");
        messages.addObject().put("role", "user").put("content", user);
        return b;
    }

    @Test
    void aReplyInOpenAisShape() throws Exception {
        ObjectNode b = chat(TestServer.MODEL, "Hello there").put("max_tokens", 10).put("seed", 1);
        ApiClient.Reply r = client.post("/v1/chat/completions", b);
        assertThat(r.status()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.get("id").asText()).startsWith("chatcmpl-");
        assertThat(json.get("object").asText()).isEqualTo("chat.completion");
        JsonNode choice = json.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        String content = choice.get("message").get("content").asText();
        // The plain transcript's reply: one line, trimmed.
        assertThat(content).doesNotContain("\n").isEqualTo(content.strip());
        assertThat(choice.get("finish_reason").asText()).isIn("stop", "length");
        int prompt = TestServer.GPT2.encode("System: You are terse.\nUser: Hello there\nAssistant:").length;
        assertThat(json.get("usage").get("prompt_tokens").asInt()).isEqualTo(prompt);
    }

    @Test
    void theChatTemplateModelReadsItsTemplateAndStopsAtItsEndOfTurn() throws Exception {
        Tokenizer t = ChatTemplate.addTo(TestServer.GPT2);
        int[] expectedPrompt = ChatTemplate.of(t).prompt(List.of(Message.system("You are terse."), Message.user("Hi")));
        ObjectNode tok = chat(TestServer.CHAT_MODEL, "Hi");
        JsonNode tokens = client.post("/tokenize", tok).json().get("tokens");
        assertThat(tokens).hasSize(expectedPrompt.length);
        for (int i = 0; i < expectedPrompt.length; i++) {
            assertThat(tokens.get(i).asInt()).isEqualTo(expectedPrompt[i]);
        }
        ObjectNode b = chat(TestServer.CHAT_MODEL, "Hi").put("max_completion_tokens", 12).put("temperature", 0);
        b.put("logprobs", true);
        JsonNode choice = client.post("/v1/chat/completions", b).json().get("choices").get(0);
        // No <|end|> or other template token ever shows in a reply.
        ChatTemplate.TOKENS.forEach(x -> assertThat(choice.get("message").get("content").asText()).doesNotContain(x));
        JsonNode content = choice.get("logprobs").get("content");
        assertThat(content.size()).isBetween(1, 12);
        JsonNode first = content.get(0);
        assertThat(first.get("logprob").asDouble()).isNegative();
        assertThat(first.get("top_logprobs")).isEmpty();
        byte[] bytes = new byte[first.get("bytes").size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) first.get("bytes").get(i).asInt();
        }
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(first.get("token").asText());
    }

    @Test
    void streamedChatJoinsToTheWholeReply() throws Exception {
        ObjectNode b = chat(TestServer.MODEL, "Tell me something").put("max_tokens", 16).put("seed", 9).put("n", 2);
        JsonNode whole = client.post("/v1/chat/completions", b).json();
        b.put("stream", true);
        b.putObject("stream_options").put("include_usage", true);
        ApiClient.Stream s = client.stream("/v1/chat/completions", b);
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.data().getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = s.chunks();
        StringBuilder[] text = {new StringBuilder(), new StringBuilder()};
        String[] finish = new String[2];
        boolean[] role = new boolean[2];
        for (JsonNode c : chunks.subList(0, chunks.size() - 1)) {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            JsonNode choice = c.get("choices").get(0);
            int i = choice.get("index").asInt();
            assertThat(finish[i]).as("nothing after a choice's finish").isNull();
            JsonNode delta = choice.get("delta");
            if (delta.has("role")) {
                assertThat(role[i]).as("the role comes once, first").isFalse();
                assertThat(text[i]).isEmpty();
                role[i] = true;
            }
            if (delta.has("content")) {
                text[i].append(delta.get("content").asText());
            }
            if (!choice.get("finish_reason").isNull()) {
                assertThat(delta.size()).isZero();
                finish[i] = choice.get("finish_reason").asText();
            }
        }
        for (int i = 0; i < 2; i++) {
            JsonNode c = whole.get("choices").get(i);
            assertThat(role[i]).isTrue();
            assertThat(text[i].toString()).isEqualTo(c.get("message").get("content").asText());
            assertThat(finish[i]).isEqualTo(c.get("finish_reason").asText());
        }
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage")).isEqualTo(whole.get("usage"));
    }

    @Test
    void topLogprobsListsTheAlternativesBestFirst() throws Exception {
        ObjectNode b = chat(TestServer.MODEL, "Alternatives").put("max_tokens", 4).put("temperature", 0)
                .put("logprobs", true).put("top_logprobs", 3).put("ignore_eos", true);
        JsonNode content = client.post("/v1/chat/completions", b).json().get("choices").get(0).get("logprobs").get("content");
        for (JsonNode entry : content) {
            JsonNode top = entry.get("top_logprobs");
            assertThat(top).hasSize(3);
            assertThat(top.get(0).get("logprob").asDouble()).isGreaterThanOrEqualTo(top.get(1).get("logprob").asDouble());
            // Greedy: the chosen token is the first alternative.
            assertThat(entry.get("token").asText()).isEqualTo(top.get(0).get("token").asText());
        }
    }

    @Test
    void contentAsTextPartsIsTheSameAsAString() throws Exception {
        ObjectNode plain = chat(TestServer.MODEL, "Parts of a message").put("max_tokens", 6).put("temperature", 0);
        ObjectNode parts = plain.deepCopy();
        ArrayNode content = ((ObjectNode) parts.get("messages").get(1)).putArray("content");
        content.addObject().put("type", "text").put("text", "Parts of ");
        content.addObject().put("type", "text").put("text", "a message");
        ApiClient.Reply r = client.post("/v1/chat/completions", parts);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("choices")).isEqualTo(client.post("/v1/chat/completions", plain).json().get("choices"));
    }
}
