package org.gpt4j.server.openai;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.AbstractConnector;
import org.gpt4j.generate.batch.InvalidRequestException;
import org.gpt4j.generate.batch.QueueFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible HTTP API on Javalin (Jetty 12): the routes, the API key, bounded bodies,
 * OpenAI's error object for every failure (a stack trace only ever goes to the log), the metrics of
 * every request, and a shutdown that stops accepting, lets the requests in flight finish, then
 * closes the engines.
 */
public final class OpenAiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);
    private static final String START = "gpt4j.start";
    private static final String ENDPOINT = "gpt4j.endpoint";
    private static final String ANSWERED = "gpt4j.answered";
    /** Status recorded for a request whose client left before its answer (nginx's 499). */
    private static final int CLIENT_CLOSED = 499;

    private final ServedModels models;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final ApiKey apiKey;
    private final LoopbackGuard loopback;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final Javalin app;

    private OpenAiServer(List<ServedModel> served, ServerOptions options, ServerMetrics metrics) {
        this.models = new ServedModels(served);
        this.options = options;
        this.metrics = metrics;
        this.apiKey = options.apiKey() == null ? null : new ApiKey(options.apiKey());
        this.loopback = LoopbackGuard.forBindAddress(options.host());
        models.all().forEach(metrics::watch);
        CompletionsEndpoint completions = new CompletionsEndpoint(models, options, metrics);
        ChatCompletionsEndpoint chat = new ChatCompletionsEndpoint(models, options, metrics);
        TokenizeEndpoint tokenize = new TokenizeEndpoint(models);
        ModelsEndpoint modelList = new ModelsEndpoint(models);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            // Compression would hold back a stream's events until a buffer fills.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = options.maxBodyBytes();
            config.requestLogger.http(this::recordRequest);
            var routes = config.routes;
            routes.before(this::admit);
            routes.get("/health", route("health", ctx -> Answers.json(ctx, 200, new Health("ok"))));
            routes.get("/metrics", route("metrics", ctx -> {
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
                ctx.result(metrics.scrape());
            }));
            routes.get("/v1/models", route("models", modelList::list));
            routes.get("/v1/models/{id}", route("models", modelList::one));
            routes.post("/v1/completions", route("completions",
                    ctx -> completions.handle(ctx, body(ctx), (long) ctx.attribute(START))));
            routes.post("/v1/chat/completions", route("chat_completions",
                    ctx -> chat.handle(ctx, body(ctx), (long) ctx.attribute(START))));
            routes.post("/tokenize", route("tokenize", ctx -> tokenize.tokenize(ctx, body(ctx))));
            routes.post("/detokenize", route("detokenize", ctx -> tokenize.detokenize(ctx, body(ctx))));
            routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            routes.exception(InvalidRequestException.class,
                    (e, ctx) -> error(ctx, ApiException.badRequest(e.field(), e.getMessage())));
            routes.exception(QueueFullException.class, (e, ctx) -> {
                ctx.header("Retry-After", "1");
                error(ctx, new ApiException(429, "rate_limit_error", null, "queue_full", e.getMessage()));
            });
            routes.exception(ClientGoneException.class, (e, ctx) -> {
                ctx.attribute(ANSWERED, true);
                if (!ctx.res().isCommitted()) {
                    ctx.status(CLIENT_CLOSED);
                }
            });
            routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, javalinError(ctx, e)));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, internalError());
            });
            routes.error(404, ctx -> unanswered(ctx, unknownUrl(ctx)));
            routes.error(405, ctx -> unanswered(ctx, methodNotAllowed(ctx)));
        });
    }

    record Health(String status) {
    }

    /**
     * Starts serving the models.
     *
     * @throws io.javalin.util.JavalinException when the address cannot be bound (its cause says why)
     */
    public static OpenAiServer start(List<ServedModel> models, ServerOptions options, ServerMetrics metrics) {
        OpenAiServer server = new OpenAiServer(models, options, metrics);
        server.app.start(options.host(), options.port());
        return server;
    }

    /** The port listened on (the one picked, for port 0). */
    public int port() {
        return app.port();
    }

    /** The API's base URL, as clients take it: {@code http://HOST:PORT/v1}. */
    public String baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port() + "/v1";
    }

    static ApiException internalError() {
        return new ApiException(500, "server_error", null, null,
                "The server had an error while processing your request (see the server's log).");
    }

    /** An error Javalin raised itself (no such route, wrong method, ...) as OpenAI's error object. */
    private static ApiException javalinError(Context ctx, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> unknownUrl(ctx);
            case 405 -> methodNotAllowed(ctx);
            default -> new ApiException(e.getStatus(), e.getStatus() >= 500 ? "server_error" : ApiException.INVALID_REQUEST,
                    null, null, e.getMessage());
        };
    }

    private static ApiException unknownUrl(Context ctx) {
        return new ApiException(404, ApiException.INVALID_REQUEST, null, "unknown_url",
                "Unknown request URL: " + ctx.method() + " " + ctx.path() + ".");
    }

    private static ApiException methodNotAllowed(Context ctx) {
        return new ApiException(405, ApiException.INVALID_REQUEST, null, "method_not_allowed",
                "Method " + ctx.method() + " is not allowed for " + ctx.path() + ".");
    }

    /** A route's handler, named for the metrics. */
    private io.javalin.http.Handler route(String name, io.javalin.http.Handler handler) {
        return ctx -> {
            ctx.attribute(ENDPOINT, name);
            handler.handle(ctx);
        };
    }

    /** Before every route: the arrival time; refused while stopping, or without the key. */
    private void admit(Context ctx) {
        ctx.attribute(START, System.nanoTime());
        // In flight until its answer is written (recordRequest), for a graceful stop.
        inFlight.incrementAndGet();
        if (draining) {
            throw new ApiException(503, "server_error", null, "shutting_down", "The server is shutting down.");
        }
        loopback.check(ctx.header("Host"), ctx.header("Origin"));
        String path = ctx.path();
        if (apiKey != null && !path.equals("/health") && !path.equals("/metrics")) {
            apiKey.check(ctx.header("Authorization"));
        }
    }

    /** The request's JSON object, read up to the configured bytes (413 beyond, before reading past the bound). */
    private RequestBody body(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > options.maxBodyBytes()) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(options.maxBodyBytes() + 1);
            if (bytes.length > options.maxBodyBytes()) {
                throw tooLarge();
            }
            return RequestBody.parse(bytes);
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, ApiException.INVALID_REQUEST, null, "request_too_large",
                "The request body is larger than this server's limit of " + options.maxBodyBytes() + " bytes.");
    }

    private void error(Context ctx, ApiException e) {
        ctx.attribute(ANSWERED, true);
        if (ctx.res().isCommitted()) {
            return;
        }
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        Answers.json(ctx, e.status(), e.body());
    }

    /** An error status Javalin set itself (no route, wrong method): answered unless a handler already did. */
    private void unanswered(Context ctx, ApiException e) {
        if (ctx.attribute(ANSWERED) == null) {
            error(ctx, e);
        }
    }

    /** After a request's answer is written: its metrics, and one request fewer in flight. */
    private void recordRequest(Context ctx, Float millis) {
        if (ctx.attribute(START) != null) {
            inFlight.decrementAndGet();
        }
        String endpoint = ctx.attribute(ENDPOINT);
        Long start = ctx.attribute(START);
        long nanos = start != null ? System.nanoTime() - start : (long) (millis * 1e6);
        metrics.request(endpoint != null ? endpoint : endpointOf(ctx.path()), ctx.statusCode(), nanos);
    }

    /**
     * The metrics' name for a path whose route never ran (refused before it: 401, 503): the route's
     * name when the path is one, else {@code other}, so unknown URLs cannot grow the label set.
     */
    private static String endpointOf(String path) {
        return switch (path) {
            case "/v1/completions" -> "completions";
            case "/v1/chat/completions" -> "chat_completions";
            case "/v1/models" -> "models";
            case "/tokenize" -> "tokenize";
            case "/detokenize" -> "detokenize";
            case "/health" -> "health";
            case "/metrics" -> "metrics";
            default -> path.startsWith("/v1/models/") ? "models" : "other";
        };
    }

    /**
     * Stops accepting connections, refuses new requests on open ones (503), waits up to
     * {@code graceMillis} for the requests in flight to finish, then stops the server and the engines.
     */
    public void close(long graceMillis) {
        draining = true;
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractConnector a) {
                // Jetty's graceful shutdown: the listening socket closes, open connections stay for
                // their requests (closing the connector itself would drop them mid-answer).
                a.setShutdownIdleTimeout(graceMillis);
                a.shutdown();
            }
        }
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline && pause(20)) {
            // waiting for the requests in flight
        }
        // Every answer is written; what connections remain are idle keep-alives, which would hold
        // Jetty's graceful stop up to its timeout. A moment for the last bytes to leave, then they close.
        pause(100);
        for (Connector c : app.jettyServer().server().getConnectors()) {
            c.getConnectedEndPoints().forEach(org.eclipse.jetty.io.EndPoint::close);
        }
        app.jettyServer().server().setStopTimeout(1_000);
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.warn("the HTTP server stopped with connections still open: {}", e.toString());
        }
        models.all().forEach(ServedModel::close);
    }

    /** Sleeps; false when interrupted (the interrupt kept). */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops at once for requests still running after a minute. */
    @Override
    public void close() {
        close(60_000);
    }
}
