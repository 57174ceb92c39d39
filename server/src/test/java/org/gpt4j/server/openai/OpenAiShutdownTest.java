package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.gpt4j.generate.batch.EngineOptions;
import org.junit.jupiter.api.Test;

/** A stop lets the requests in flight finish with their whole answer, and takes no new ones. */
class OpenAiShutdownTest {

    @Test
    void closingFinishesTheRequestsInFlight() throws Exception {
        TestServer server = TestServer.start(ServerOptions.loopback(0), new EngineOptions(4, 4), 256, false);
        ApiClient client = new ApiClient(server.base);
        server.pace(10);
        CompletableFuture<ApiClient.Reply> running = CompletableFuture.supplyAsync(() -> {
            try {
                return client.post("/v1/completions", "{\"prompt\": \"Finish me\", \"max_tokens\": 60, \"ignore_eos\": true}");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(server.awaitRunning(1, 10_000)).isTrue();
        long t0 = System.nanoTime();
        server.server.close(30_000);
        // 60 steps of 10 ms were still to run: close waited for them.
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThan(100);
        ApiClient.Reply r = running.get();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("usage").get("completion_tokens").asInt()).isEqualTo(60);
        assertThatThrownBy(() -> new ApiClient(server.base).get("/health")).isInstanceOf(IOException.class);
    }
}
