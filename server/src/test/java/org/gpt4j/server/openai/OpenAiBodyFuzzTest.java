package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile bodies: valid requests cut short, with bytes replaced, or with fields of the wrong kind,
 * sent to both completion endpoints. Whatever comes, the answer is 200 or a 4xx with OpenAI's
 * error object, never a 500 or a dropped connection.
 */
class OpenAiBodyFuzzTest {

    static final String[] VALID = {
        "{\"prompt\": \"Hello there\", \"max_tokens\": 2, \"temperature\": 0.5, \"stop\": [\"x\"], \"n\": 1}",
        "{\"prompt\": [[464, 3290], [40]], \"max_tokens\": 1, \"logprobs\": 2, \"echo\": true}",
        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\"}]}], \"max_tokens\": 2,"
                + " \"logprobs\": true, \"top_logprobs\": 1}",
    };
    static final String[] VALUES = {"null", "-1", "0", "1e400", "\"\"", "[]", "{}", "true", "[[[]]]", "\"x\"",
        "99999999999", "0.5", "[-5]", "[\"\"]"};
    static final String[] FIELDS = {"prompt", "messages", "max_tokens", "n", "temperature", "top_p", "stop", "seed",
        "logprobs", "top_logprobs", "echo", "stream", "stream_options", "model", "best_of", "top_k", "min_p",
        "repetition_penalty", "presence_penalty", "stop_token_ids", "num_beams", "max_completion_tokens"};

    static TestServer server;
    static ApiClient client;

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        client = new ApiClient(server.base);
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 60)
    void truncatedOrMutatedBodiesGetACleanAnswer(@ForAll("bodies") String body, @ForAll boolean chat) throws Exception {
        check(client.post(chat ? "/v1/chat/completions" : "/v1/completions", body));
    }

    @Property(tries = 60)
    void fieldsOfTheWrongKindGetACleanAnswer(@ForAll("fields") String field, @ForAll("values") String value,
            @ForAll boolean chat) throws Exception {
        String base = chat ? VALID[2] : VALID[0];
        String body = base.substring(0, base.length() - 1) + ", \"" + field + "\": " + value + "}";
        check(client.post(chat ? "/v1/chat/completions" : "/v1/completions", body));
    }

    private static void check(ApiClient.Reply r) {
        assertThat(r.status()).as(r.text()).isIn(200, 400, 404);
        if (r.status() != 200) {
            JsonNode e = r.json().get("error");
            assertThat(e.get("message").asText()).isNotBlank();
            assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
        } else if (r.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            assertThat(r.json().get("choices").size()).isPositive();
        } else {
            assertThat(r.text()).endsWith("data: [DONE]\n\n");
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> valid = Arbitraries.of(VALID);
        Arbitrary<String> cut = valid.flatMap(v -> Arbitraries.integers().between(0, v.length()).map(n -> v.substring(0, n)));
        Arbitrary<String> replaced = valid.flatMap(v -> Arbitraries.integers().between(0, v.length() - 1)
                .flatMap(i -> Arbitraries.chars().with('"', '{', '}', '[', ']', ',', ':', '\\', '0', 'x', '\u00e9')
                        .map(c -> v.substring(0, i) + c + v.substring(i + 1))));
        return Arbitraries.oneOf(cut, replaced);
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of(FIELDS);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of(VALUES);
    }
}
