package org.gpt4j.server.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.gpt4j.model.PositionalEncoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP layer: only the studio's own files, loopback, and refusals for foreign or malformed requests. */
class StudioServerTest {

    @TempDir
    static Path temp;

    private static StudioServer server;

    @BeforeAll
    static void start() throws Exception {
        server = StudioServer.start(Studio.open(TestModels.tiny(temp.resolve("m"), PositionalEncoding.LEARNED)), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends a raw request (no client-side path clean-up) and returns the whole response. */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String get(String path) throws IOException {
        return raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void listensOnLoopbackAndServesThePageWithASecurityPolicy() throws IOException {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
        String r = get("/");
        assertThat(r).startsWith("HTTP/1.1 200").contains("Content-security-policy: default-src 'self'").contains("<title>gpt4j studio</title>");
        assertThat(get("/studio.js")).startsWith("HTTP/1.1 200").contains("text/javascript");
        assertThat(get("/api/tokens?text=hi")).startsWith("HTTP/1.1 200").contains("\"count\":1");
    }

    @Test
    void servesTheChineseInterfacesFontAndItsLicence() throws IOException {
        String font = get("/" + StaticAssets.FONT);
        assertThat(font).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-type: font/woff2").contains("\r\n\r\nwOF2");
        assertThat(get("/OFL.txt")).startsWith("HTTP/1.1 200").contains("SIL OPEN FONT LICENSE Version 1.1");
        assertThat(get("/studio.css")).contains("url(\"" + StaticAssets.FONT + "\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../pom.xml", "/..%2f..%2fpom.xml", "/%2e%2e/%2e%2e/etc/passwd", "/web/index.html",
        "/org/gpt4j/server/studio/web/index.html", "/StaticAssets.class", "//etc/passwd", "/studio.js/../../x",
        "/index.html%00.js", "/..\\..\\pom.xml", "/META-INF/MANIFEST.MF"})
    void servesNothingButItsOwnFiles(String path) throws IOException {
        String r = get(path);
        assertThat(r).matches("(?s)HTTP/1.1 (400|404).*");
        assertThat(r).doesNotContain("<project").doesNotContain("root:").doesNotContain("Manifest-Version");
    }

    @Test
    void refusesRequestsAddressedToAnotherHost() throws IOException {
        String r = raw("GET /api/model HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 403").contains("localhost only");
    }

    @Test
    void postsMustBeSmallJson() throws IOException {
        String plain = raw("POST /api/model HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}");
        assertThat(plain).startsWith("HTTP/1.1 415");
        String big = "{\"path\":\"" + "x".repeat(StudioServer.MAX_BODY) + "\"}";
        String huge = raw("POST /api/model HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + big.length() + "\r\nConnection: close\r\n\r\n" + big);
        assertThat(huge).startsWith("HTTP/1.1 413");
    }

    @Test
    void aMegabyteUrlGetsAJson414NotAReset() throws IOException {
        String r = get("/api/tokens?text=" + "a".repeat(1 << 20));
        assertThat(r).startsWith("HTTP/1.1 414").contains("application/json")
                .contains("{\"error\":\"the URL is " + ((1 << 20) + "/api/tokens?text=".length()) + " characters");
        // Just under the limit, the request is read and answered as usual (here: too much text).
        String under = get("/api/tokens?text=" + "a".repeat(StudioServer.MAX_URL - 100));
        assertThat(under).doesNotStartWith("HTTP/1.1 414").startsWith("HTTP/1.1 413");
    }
}
