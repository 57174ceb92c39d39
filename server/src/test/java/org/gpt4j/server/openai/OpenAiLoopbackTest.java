package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server on the loopback interface refuses what a web page elsewhere could make a browser send
 * it: a request addressed to another name (DNS rebinding) and one from another origin (a
 * cross-origin form post), each a 403 in OpenAI's error object; its own clients and pages on
 * localhost are served. Requests go over a raw socket, since Java's HTTP client will not set Host.
 */
class OpenAiLoopbackTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String raw(String host, String origin) throws IOException {
        String body = "{\"prompt\": \"Hello\", \"max_tokens\": 2}";
        String request = "POST /v1/completions HTTP/1.1\r\nHost: " + host + "\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void requestsAddressedToAnotherNameOrFromAnotherOriginAre403() throws IOException {
        int port = server.server.port();
        assertThat(raw("rebound.attacker.example:" + port, null)).startsWith("HTTP/1.1 403")
                .contains("\"code\":\"forbidden_host\"").contains("localhost only");
        assertThat(raw("127.0.0.1:" + port, "https://attacker.example")).startsWith("HTTP/1.1 403")
                .contains("\"code\":\"forbidden_origin\"");
        assertThat(raw("127.0.0.1:" + port, "null")).startsWith("HTTP/1.1 403");

        assertThat(raw("127.0.0.1:" + port, null)).startsWith("HTTP/1.1 200").contains("\"text_completion\"");
        assertThat(raw("localhost:" + port, "http://localhost:3000")).startsWith("HTTP/1.1 200");
        assertThat(raw("[::1]:" + port, "http://127.0.0.1:5173")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aServerBoundToAnotherInterfaceLeavesItToTheKey() {
        LoopbackGuard open = LoopbackGuard.forBindAddress("0.0.0.0");
        assertThat(open.active()).isFalse();
        open.check("anything.example", "https://elsewhere.example");
        assertThat(LoopbackGuard.forBindAddress("127.0.0.1").active()).isTrue();
        assertThat(LoopbackGuard.forBindAddress("localhost").active()).isTrue();
    }
}
