package org.gpt4j.server.studio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.gpt4j.generate.NonFiniteLogitsException;

/**
 * The studio's JSON API, one endpoint per view, independent of the HTTP server (tests and the
 * benchmark call it directly). Every failure becomes {@code {"error": "..."}} with a 4xx status
 * that says what to change; an unexpected exception is a 500 with its message, never a crash.
 */
public final class StudioApi {

    /** A status and a JSON body. */
    public record Reply(int status, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final Logger LOG = Logger.getLogger(StudioApi.class.getName());

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Studio studio;
    private final Map<String, Function<Params, Object>> views;

    public StudioApi(Studio studio) {
        this.studio = studio;
        this.views = Map.of(
                "/api/model", p -> ModelInfo.of(studio),
                "/api/architecture", p -> switch (studio.shown()) {
                    case LoadedModel gpt -> ArchitectureView.of(gpt, p);
                    case LoadedBert bert -> BertArchitectureView.of(bert, p);
                },
                "/api/tokens", p -> TokensView.of(studio.shown(), p),
                "/api/count", p -> TokensView.count(studio.shown(), p),
                "/api/attention", p -> switch (studio.shown()) {
                    case LoadedModel gpt -> AttentionView.of(gpt, p);
                    case LoadedBert bert -> AttentionView.of(bert, p);
                },
                "/api/masked", p -> MaskedWordView.of(studio.bert(), p),
                "/api/positions", p -> PositionsView.of(studio.model(), p),
                "/api/embeddings", p -> switch (studio.shown()) {
                    case LoadedModel gpt -> EmbeddingsView.of(gpt, p);
                    case LoadedBert bert -> EmbeddingsView.of(bert, p);
                },
                "/api/generation", p -> GenerationView.of(studio.model(), p),
                "/api/training", p -> TrainingView.of(studio, p));
    }

    /** Answers {@code method path?rawQuery} with an optional JSON body. */
    public Reply handle(String method, String path, String rawQuery, byte[] body) {
        try {
            if (method.equals("POST") && path.equals("/api/model")) {
                studio.switchTo(modelPath(body));
                return ok(ModelInfo.of(studio));
            }
            Function<Params, Object> view = views.get(path);
            if (view == null) {
                throw ApiError.notFound("no endpoint " + path + " (the endpoints are listed in the README)");
            }
            if (!method.equals("GET")) {
                throw new ApiError(405, path + " answers GET" + (path.equals("/api/model") ? " and POST" : "") + ", not " + method);
            }
            return ok(view.apply(Params.parse(rawQuery)));
        } catch (ApiError e) {
            return error(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (NonFiniteLogitsException e) {
            return error(422, studio.modelDirectory() + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            return error(503, "out of memory: the input is too large for this heap (raise it with GPT4J_JAVA_OPTS=-Xmx...)");
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.log(Level.WARNING, "studio: " + method + " " + path + " failed", e);
            return error(500, "internal error: " + e);
        }
    }

    /**
     * {@code {"path": "runs/demo"}}, relative paths against the working directory; a bare name
     * that is not there (e.g. {@code en-base}) is a model under {@code models/}, as on the command line.
     */
    private Path modelPath(byte[] body) {
        JsonNode n;
        try {
            n = JSON.readTree(body == null ? new byte[0] : body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.badRequest("the body must be JSON like {\"path\": \"runs/demo\"}: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("cannot read the body: " + e.getMessage());
        }
        if (n == null || !n.path("path").isTextual() || n.path("path").asText().isBlank()) {
            throw ApiError.badRequest("the body must be JSON like {\"path\": \"runs/demo\"}");
        }
        Path given;
        try {
            given = Path.of(n.path("path").asText().trim());
        } catch (InvalidPathException e) {
            throw ApiError.badRequest("not a path: " + e.getMessage());
        }
        Path dir = studio.workingDirectory().resolve(given);
        if (Files.exists(dir)) {
            return dir;
        }
        // A bare name such as "en-base" means a shipped model, as --model does on the command line.
        try {
            Path resolved = studio.modelNames().resolve(given);
            return resolved == given ? dir : resolved;
        } catch (java.io.IOException e) {
            throw ApiError.notFound(e.getMessage());
        }
    }

    private static Reply ok(Object value) throws JsonProcessingException {
        return new Reply(200, JSON.writeValueAsBytes(value));
    }

    static Reply error(int status, String message) {
        try {
            return new Reply(status, JSON.writeValueAsBytes(Map.of("error", message == null ? "error" : message)));
        } catch (JsonProcessingException e) {
            return new Reply(status, "{\"error\":\"error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }
}
