package org.gpt4j.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' HTTP client: the JDK's HttpClient, as an application would use it, and a small
 * Server-Sent Events parser (data lines joined, events split at blank lines, comments skipped).
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private String key;

    /** @param base the server's root, {@code http://127.0.0.1:PORT} */
    ApiClient(String base) {
        this.base = base;
    }

    ApiClient withKey(String k) {
        ApiClient c = new ApiClient(base);
        c.key = k;
        return c;
    }

    /** A status and its JSON body (null when the body is not JSON). */
    record Reply(int status, JsonNode json, String text, HttpResponse<String> raw) {
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    Reply post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build());
    }

    Reply post(String path, JsonNode body) throws IOException, InterruptedException {
        return post(path, JSON.writeValueAsString(body));
    }

    Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            json = null;
        }
        return new Reply(r.statusCode(), json, r.body(), r);
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    /** A streamed answer: the status, its content type and every event's data, up to and with [DONE]. */
    record Stream(int status, String contentType, List<String> data) {
        /** The events before [DONE], as JSON. */
        List<JsonNode> chunks() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (String d : data) {
                if (!d.equals("[DONE]")) {
                    out.add(JSON.readTree(d));
                }
            }
            return out;
        }
    }

    Stream stream(String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(body))).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            return new Stream(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), events(in, Integer.MAX_VALUE));
        }
    }

    /** Opens a stream and returns it unread (the test reads some, then hangs up). */
    HttpResponse<InputStream> open(String path, JsonNode body) throws IOException, InterruptedException {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads up to {@code max} events' data from an event stream (stopping after [DONE]). */
    static List<String> events(InputStream in, int max) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        StringBuilder data = null;
        String line;
        while (out.size() < max && (line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    out.add(data.toString());
                    if (data.toString().equals("[DONE]")) {
                        break;
                    }
                    data = null;
                }
            } else if (line.startsWith("data:")) {
                String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (!line.startsWith(":")) {
                throw new IOException("not an SSE data line: " + line);
            }
        }
        return out;
    }
}
