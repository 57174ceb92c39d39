package org.gpt4j.server.studio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.PositionalEncoding;

/**
 * The studio's API on random requests: every answer is a JSON object, a 200 or a 4xx whose
 * {@code error} says what to change, within a time bound; never a 500, an exception or a hang.
 * The request bodies of {@code POST /api/model} also name model directories that are broken in
 * every way the loaders check (a billion layers, NaN weights, a truncated config).
 */
class StudioApiFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> ANSWERS = Set.of(200, 400, 404, 405, 409, 413, 414, 422);
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private static Path dir;
    private static StudioApi api;
    private static List<String> models;
    private static StudioApi bare;

    @BeforeContainer
    static void studio() throws Exception {
        dir = Files.createTempDirectory("studio-fuzz");
        Path good = TestModels.tiny(dir.resolve("good"), PositionalEncoding.LEARNED);
        TestModels.metrics(good);
        Path huge = copy(good, dir.resolve("billion-layers"));
        Files.writeString(huge.resolve(ModelDirectory.CONFIG), Files.readString(good.resolve(ModelDirectory.CONFIG))
                .replaceFirst("\"n_layer\" : 2", "\"n_layer\" : 1000000000"));
        Path wide = copy(good, dir.resolve("wide"));
        Files.writeString(wide.resolve(ModelDirectory.CONFIG), Files.readString(good.resolve(ModelDirectory.CONFIG))
                .replaceFirst("\"n_embd\" : 32", "\"n_embd\" : 536870911"));
        Path truncated = copy(good, dir.resolve("truncated"));
        byte[] config = Files.readAllBytes(good.resolve(ModelDirectory.CONFIG));
        Files.write(truncated.resolve(ModelDirectory.CONFIG), java.util.Arrays.copyOf(config, config.length / 2));
        Path noWeights = copy(good, dir.resolve("no-weights"));
        Files.delete(noWeights.resolve(ModelDirectory.WEIGHTS));
        Path cutWeights = copy(good, dir.resolve("cut-weights"));
        byte[] weights = Files.readAllBytes(good.resolve(ModelDirectory.WEIGHTS));
        Files.write(cutWeights.resolve(ModelDirectory.WEIGHTS), java.util.Arrays.copyOf(weights, weights.length - 100));
        models = List.of(good.toString(), huge.toString(), wide.toString(), truncated.toString(), noWeights.toString(),
                cutWeights.toString(), dir.toString(), "/", "", " ", "../../..", "/dev/null", "/proc/self", "nul\u0000l");
        api = new StudioApi(Studio.open(good));
        bare = new StudioApi(Studio.open(TestModels.withoutTokenizer(dir.resolve("bare"))));
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs one request under the time bound and checks the answer's contract. */
    private static StudioApi.Reply answered(String method, String path, String query, byte[] body) {
        StudioApi.Reply[] reply = new StudioApi.Reply[1];
        Throwable[] thrown = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                reply[0] = api.handle(method, path, query, body);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        try {
            t.join(LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            fail(method + " " + path + "?" + query + " took longer than " + LIMIT);
        }
        if (thrown[0] != null) {
            throw new AssertionError("the API threw instead of answering", thrown[0]);
        }
        StudioApi.Reply r = reply[0];
        assertThat(ANSWERS).as(r.text()).contains(r.status());
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.text(), e);
        }
        assertThat(json.isObject()).as(r.text()).isTrue();
        if (r.status() != 200) {
            assertThat(json.path("error").asText()).as(r.text()).isNotBlank();
        }
        Statistics.collect(r.status() == 200 ? "answered" : "refused");
        return r;
    }

    private static void bothOutcomesSeen() {
        Statistics.coverage(c -> {
            c.check("answered").percentage(p -> p > 1);
            c.check("refused").percentage(p -> p > 1);
        });
    }

    @Property(tries = 200)
    void arbitraryBodiesAreRefusedWithAReason(@ForAll @Size(max = 300) byte[] body) {
        assertThat(answered("POST", "/api/model", null, body).status()).isIn(400, 404);
    }

    @Provide
    Arbitrary<byte[]> modelBodies() {
        Arbitrary<Object> path = Arbitraries.oneOf(Arbitraries.of(models).map(p -> (Object) p),
                Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.of(1, true, List.of("x"), Map.of("path", "x")).map(x -> x));
        Arbitrary<String> key = Arbitraries.of("path", "path", "Path", "dir");
        return Combinators.combine(key, path, Arbitraries.of("", " ", "}", ",\"path\":\"x\"}")).as((k, p, tail) -> {
            String json = JSON.valueToTree(Map.of(k, p)).toString();
            return (tail.isEmpty() || tail.isBlank() ? json + tail : json.substring(0, json.length() - 1) + tail)
                    .getBytes(StandardCharsets.UTF_8);
        });
    }

    @Property(tries = 150)
    void switchingToAnyDirectoryLoadsItOrSaysWhyNot(@ForAll("modelBodies") byte[] body) {
        answered("POST", "/api/model", null, body);
        bothOutcomesSeen();
        // Whatever happened, the studio still answers with a model.
        assertThat(answered("GET", "/api/model", "", null).status()).isEqualTo(200);
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.of("text", "tokens", "layer", "head", "position", "steps", "seed", "top_k",
                "top_p", "temperature", "sample", "method", "perplexity", "run", "x", "");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("hello world", "1,2,3", "0", "-1", "1", "3", "64", "65", "2147483647", "99999999999", "NaN",
                        "Infinity", "1e308", "-0", "0.5", "true", "false", "pca", "tsne", "%zz", "%", "%E4%B8%AD",
                        "50256,0", "50257", "-5,3", ",,", "../..", "/etc", "+", "").map(v -> v),
                Arbitraries.strings().withChars("ab1,%+ -.").ofMaxLength(8));
        Arbitrary<String> pair = Combinators.combine(name, value, Arbitraries.of("=", "", "=="))
                .as((n, v, eq) -> eq.isEmpty() ? n : n + eq + v);
        return pair.list().ofMaxSize(4).map(ps -> String.join("&", ps));
    }

    @Property(tries = 150)
    void everyViewAnswersAnyQuery(@ForAll("views") String view, @ForAll("queries") String query) {
        answered("GET", view, query, null);
        bothOutcomesSeen();
    }

    @Provide
    Arbitrary<String> views() {
        return Arbitraries.of("/api/model", "/api/architecture", "/api/tokens", "/api/count", "/api/attention", "/api/positions",
                "/api/embeddings", "/api/generation", "/api/training", "/api/nothing", "/api/");
    }

    /**
     * Token-id lists for a model without a tokenizer: accepted exactly when they are integers of
     * the vocabulary between commas and/or spaces (ends trimmed), and then read as written.
     */
    @Property(tries = 300)
    void tokenIdListsAreReadAsWrittenOrRefusedWithTheItem(@ForAll("idLists") String list) {
        StudioApi.Reply r = bare.handle("GET", "/api/tokens",
                "tokens=" + java.net.URLEncoder.encode(list, StandardCharsets.UTF_8), null);
        String core = list.strip().replaceAll("^[,\\s]+|[,\\s]+$", "");
        List<String> items = core.isEmpty() ? List.of() : List.of(core.split("\\s*,\\s*|\\s+"));
        boolean valid = !items.isEmpty() && items.size() <= TestModels.CONTEXT && items.stream()
                .allMatch(i -> i.matches("\\+?\\d{1,9}") && Integer.parseInt(i) < TestModels.BARE_VOCAB);
        Statistics.collect(valid ? "answered" : "refused");
        if (valid) {
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            JsonNode json;
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertThat(json.path("tokens").findValuesAsText("id"))
                    .containsExactlyElementsOf(items.stream().map(i -> Integer.toString(Integer.parseInt(i))).toList());
        } else {
            assertThat(r.status()).as(list).isEqualTo(400);
            assertThat(r.text()).as(list).containsAnyOf("is not a token id", "outside the vocabulary",
                    "give token ids", "longer than this model's context");
        }
        bothOutcomesSeen();
    }

    @Provide
    Arbitrary<String> idLists() {
        Arbitrary<String> item = Arbitraries.oneOf(Arbitraries.integers().between(0, 99).map(String::valueOf),
                Arbitraries.of("100", "-1", "x", "", "1.5", "+3", "007", "99999999999"));
        Arbitrary<String> sep = Arbitraries.of(",", ", ", " ", " , ", ",,", "\t");
        return Combinators.combine(item.list().ofMinSize(0).ofMaxSize(6), sep, Arbitraries.of("", ",", " "))
                .as((items, s, end) -> String.join(s, items) + end);
    }

    @Property(tries = 50)
    void otherMethodsAreRefused(@ForAll("views") String view, @ForAll("methods") String method) {
        assertThat(answered(method, view, "", new byte[0]).status()).isIn(400, 404, 405);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get");
    }
}
