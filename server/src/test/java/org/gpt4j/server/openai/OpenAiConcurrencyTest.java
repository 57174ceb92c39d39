package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gpt4j.generate.batch.EngineOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many clients at once: seeded requests give the same text batched as alone, concurrent streams
 * all complete, and a client that hangs up (streaming or not) frees its batch slots.
 */
class OpenAiConcurrencyTest {

    static TestServer server;
    static ApiClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(ServerOptions.loopback(0), new EngineOptions(8, 64), 1024, false);
        client = new ApiClient(server.base);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode request(int i) {
        return ApiClient.JSON.createObjectNode().put("prompt", "Request number " + i + " says").put("max_tokens", 12 + i)
                .put("seed", 100 + i).put("temperature", 0.8).put("top_p", 0.95);
    }

    static String text(JsonNode answer) {
        return answer.get("choices").get(0).get("text").asText();
    }

    @Test
    void seededRequestsGiveTheSameTextBatchedAsAlone() throws Exception {
        int count = 12;
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            alone.add(text(client.post("/v1/completions", request(i)).json()));
        }
        // Slow steps so that the requests surely overlap in the batch.
        server.pace(2);
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            List<Future<String>> batched = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int k = i;
                Callable<String> call = k % 2 == 0
                        ? () -> text(client.post("/v1/completions", request(k)).json())
                        : () -> streamedText(request(k));
                batched.add(pool.submit(call));
            }
            for (int i = 0; i < count; i++) {
                assertThat(batched.get(i).get()).as("request " + i).isEqualTo(alone.get(i));
            }
        } finally {
            server.pace(0);
        }
        String metrics = client.get("/metrics").text();
        // Some step ran more than one sequence: the batch size histogram's le="1.0" bucket is not all of them.
        assertThat(bucket(metrics, "1.0")).isLessThan(bucket(metrics, "+Inf"));
    }

    private static double bucket(String metrics, String le) {
        String prefix = "gpt4j_batch_size_bucket{model=\"tiny\",le=\"" + le + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElseThrow();
    }

    private static String streamedText(ObjectNode body) throws Exception {
        body.put("stream", true);
        StringBuilder text = new StringBuilder();
        for (JsonNode c : client.stream("/v1/completions", body).chunks()) {
            text.append(c.get("choices").get(0).get("text").asText());
        }
        return text.toString();
    }

    @Test
    void aStreamingClientThatHangsUpFreesItsSlot() throws Exception {
        server.pace(10);
        try {
            HttpResponse<InputStream> r = client.open("/v1/completions", ApiClient.JSON.createObjectNode()
                    .put("prompt", "Hang up").put("max_tokens", 900).put("ignore_eos", true).put("stream", true));
            assertThat(ApiClient.events(r.body(), 3)).hasSize(3);
            assertThat(server.engine().running()).isEqualTo(1);
            r.body().close();
            // 900 steps of 10 ms would take 9 s: the slot must go long before.
            assertThat(server.awaitRunning(0, 3_000)).isTrue();
        } finally {
            server.pace(0);
        }
    }

    @Test
    void aWaitingClientThatHangsUpFreesItsSlot() throws Exception {
        server.pace(10);
        try {
            URI uri = URI.create(server.base);
            byte[] body = "{\"prompt\": \"Hang up\", \"max_tokens\": 900, \"ignore_eos\": true}".getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/completions HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                assertThat(server.awaitRunning(1, 5_000)).isTrue();
            }
            assertThat(server.awaitRunning(0, 3_000)).isTrue();
        } finally {
            server.pace(0);
        }
    }
}
