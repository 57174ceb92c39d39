package org.gpt4j.server.studio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The studio over HTTP, on the JDK's own server: {@code /api/...} answered by {@link StudioApi},
 * everything else by {@link StaticAssets}. Loopback by default. Requests must be addressed to
 * this server by name (the Host header), so a web page elsewhere cannot reach it through DNS
 * rebinding, and a POST must carry JSON, which a cross-site form cannot send.
 */
public final class StudioServer implements AutoCloseable {

    static final int MAX_BODY = 64 * 1024;
    /**
     * The longest request target (path and query) answered: room for {@link Params#MAX_TEXT_CHARS}
     * of text however it is percent-encoded (mostly), and a clear 414 beyond.
     */
    static final int MAX_URL = 512 * 1024;
    /**
     * The JDK's server closes the connection, answering nothing, on a request line or headers
     * longer than {@code sun.net.httpserver.maxReqHeaderSize} (380 KiB by default). Raised so that
     * a request line up to this long is read and refused with a JSON 414 instead of a reset.
     */
    static final int READ_REQUEST_LINE = 4 * 1024 * 1024;
    private static final String MAX_HEADER_PROPERTY = "sun.net.httpserver.maxReqHeaderSize";
    private static final String SECURITY_POLICY =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

    private final HttpServer http;
    private final ExecutorService executor;
    private final StudioApi api;
    private final Set<String> hostNames;

    private StudioServer(HttpServer http, ExecutorService executor, StudioApi api, Set<String> hostNames) {
        this.http = http;
        this.executor = executor;
        this.api = api;
        this.hostNames = hostNames;
    }

    /** Serves {@code studio} on {@code host:port} (port 0 picks a free one). */
    public static StudioServer start(Studio studio, String host, int port) throws IOException {
        // Read once, when the JDK's server is first used: set before it is, unless the user chose.
        if (System.getProperty(MAX_HEADER_PROPERTY) == null) {
            System.setProperty(MAX_HEADER_PROPERTY, Integer.toString(READ_REQUEST_LINE));
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        boolean wildcard = http.getAddress().getAddress().isAnyLocalAddress();
        Set<String> names = wildcard ? Set.of() : Set.copyOf(java.util.List.of(
                host.toLowerCase(Locale.ROOT), "localhost", "127.0.0.1", "[::1]"));
        StudioServer server = new StudioServer(http, executor, new StudioApi(studio), names);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The address to open in a browser. */
    public String url() {
        String host = http.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1" : http.getAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    @Override
    public void close() {
        http.stop(0);
        executor.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (!addressedHere(ex)) {
                send(ex, StudioApi.error(403, "the studio answers requests addressed to localhost only"), "application/json");
                return;
            }
            int length = ex.getRequestURI().toString().length();
            if (length > MAX_URL) {
                send(ex, StudioApi.error(414, "the URL is " + length + " characters; the studio reads at most " + MAX_URL
                        + " (send less text)"), "application/json");
                return;
            }
            if (path.startsWith("/api/")) {
                byte[] body = null;
                if (method.equals("POST")) {
                    String type = ex.getRequestHeaders().getFirst("Content-Type");
                    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                        send(ex, StudioApi.error(415, "POST a JSON body (Content-Type: application/json)"), "application/json");
                        return;
                    }
                    body = readBody(ex.getRequestBody());
                    if (body == null) {
                        send(ex, StudioApi.error(413, "the body is larger than " + MAX_BODY + " bytes"), "application/json");
                        return;
                    }
                }
                send(ex, api.handle(method, path, ex.getRequestURI().getRawQuery(), body), "application/json");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(ex, StudioApi.error(405, "only GET here"), "application/json");
                return;
            }
            StaticAssets.Asset asset = StaticAssets.find(path);
            if (asset == null) {
                send(ex, new StudioApi.Reply(404, "not found\n".getBytes(StandardCharsets.UTF_8)), "text/plain; charset=utf-8");
                return;
            }
            send(ex, new StudioApi.Reply(200, asset.bytes()), asset.contentType());
        }
    }

    private boolean addressedHere(HttpExchange ex) {
        if (hostNames.isEmpty()) {
            return true; // bound to every interface on purpose: the user chose to share it
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        return hostNames.contains(host);
    }

    /** The body, or null when it is longer than {@link #MAX_BODY}. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : bytes;
    }

    private static void send(HttpExchange ex, StudioApi.Reply reply, String type) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", SECURITY_POLICY);
        h.set("Referrer-Policy", "no-referrer");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length == 0 ? -1 : reply.body().length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }
}
