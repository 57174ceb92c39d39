package org.gpt4j.server.studio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.PositionalEncoding;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every endpoint's answer, checked against the model it reads, and every refusal's status and message. */
class StudioApiTest {

    private static final String TEXT = "The quick brown fox jumps over the lazy dog. The quick brown fox";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static Path modelDir;
    private static StudioApi api;

    @BeforeAll
    static void open() throws Exception {
        modelDir = TestModels.tiny(temp.resolve("runs/learned"), PositionalEncoding.LEARNED);
        TestModels.metrics(modelDir);
        api = new StudioApi(Studio.open(modelDir));
    }

    private static JsonNode get(StudioApi a, String path, String query) throws Exception {
        StudioApi.Reply r = a.handle("GET", path, query, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String text() {
        return "text=" + URLEncoder.encode(TEXT, StandardCharsets.UTF_8);
    }

    @Test
    void architectureCountsEveryParameterOfTheRealShapes() throws Exception {
        JsonNode r = get(api, "/api/architecture", text());
        long total = ParameterLayout.of(ModelDirectory.readConfig(modelDir)).totalCount();
        assertThat(r.path("model").path("parameters").asLong()).isEqualTo(total);
        long sum = 0;
        for (JsonNode t : r.path("tensors")) {
            sum += t.path("count").asLong();
        }
        assertThat(sum).isEqualTo(total);
        assertThat(r.path("block_parameters").asLong() * 2 + 50257 * 32 + 64 * 32 + 64).isEqualTo(total);
        assertThat(r.path("flow").findValuesAsText("id")).containsExactly("tokens", "wte", "wpe", "blocks", "ln_f", "unembed", "softmax");
        assertThat(r.path("block").get(0).path("id").asText()).isEqualTo("ln_1");
        assertThat(r.path("length").asInt()).isEqualTo(14);
    }

    @Test
    void tokensAreTheTokenizersPieces() throws Exception {
        JsonNode r = get(api, "/api/tokens", text());
        int[] ids = Tokenizers.gpt2().encode(TEXT);
        assertThat(r.path("count").asInt()).isEqualTo(ids.length);
        assertThat(r.path("tokens").get(1).path("id").asInt()).isEqualTo(ids[1]);
        assertThat(r.path("tokens").get(1).path("text").asText()).isEqualTo(" quick");
        assertThat(r.path("tokens").get(1).path("bytes").asText()).isEqualTo("20 71 75 69 63 6b");
    }

    @Test
    void attentionStepsEndInTheTracedProbabilities() throws Exception {
        JsonNode r = get(api, "/api/attention", text() + "&layer=1&head=1");
        assertThat(r.path("grid").size()).isEqualTo(2);
        assertThat(r.path("grid").get(0).size()).isEqualTo(2);
        JsonNode steps = r.path("detail").path("steps");
        int n = steps.path("shown").asInt();
        assertThat(n).isEqualTo(14);
        for (int q = 0; q < n; q++) {
            double rowSum = 0;
            for (int k = 0; k < n; k++) {
                double scaled = steps.path("scaled").get(q).get(k).asDouble();
                assertThat(scaled).isCloseTo(steps.path("scores").get(q).get(k).asDouble() / 4, within(2e-3));
                JsonNode masked = steps.path("masked").get(q).get(k);
                if (k > q) {
                    assertThat(masked.isNull()).isTrue();
                    assertThat(steps.path("softmax").get(q).get(k).asDouble()).isZero();
                } else {
                    assertThat(masked.asDouble()).isEqualTo(scaled);
                }
                rowSum += steps.path("softmax").get(q).get(k).asDouble();
            }
            assertThat(rowSum).isCloseTo(1, within(1e-3));
            // softmax of the masked row, recomputed here, is what the model traced
            double z = 0;
            for (int k = 0; k <= q; k++) {
                z += Math.exp(steps.path("scaled").get(q).get(k).asDouble());
            }
            assertThat(Math.exp(steps.path("scaled").get(q).get(0).asDouble()) / z)
                    .isCloseTo(r.path("detail").path("probabilities").get(q).get(0).asDouble(), within(2e-3));
        }
    }

    @Test
    void removingPositionsChangesALearnedModelsAttentionAndNothingWithoutPositions() throws Exception {
        JsonNode learned = get(api, "/api/positions", text() + "&layer=0");
        assertThat(learned.path("encoding").asText()).isEqualTo("learned");
        assertThat(learned.path("table").path("rows").asInt()).isEqualTo(64);
        assertThat(learned.path("change_by_layer").get(0).asDouble()).isPositive();
        assertThat(learned.path("with_positions")).isNotEqualTo(learned.path("without_positions"));
        assertThat(learned.path("loss_with").asDouble()).isNotEqualTo(learned.path("loss_without").asDouble());

        StudioApi none = new StudioApi(Studio.open(TestModels.tiny(temp.resolve("none"), PositionalEncoding.NONE)));
        JsonNode r = get(none, "/api/positions", text() + "&layer=1&head=0");
        assertThat(r.path("table").isNull()).isTrue();
        assertThat(r.path("with_positions")).isEqualTo(r.path("without_positions"));
        assertThat(r.path("change_by_layer").get(1).asDouble()).isZero();
    }

    @Test
    void embeddingsProjectEveryTokenAtEveryDepth() throws Exception {
        for (int layer = -1; layer <= 2; layer++) {
            JsonNode r = get(api, "/api/embeddings", text() + "&layer=" + layer);
            assertThat(r.path("points").size()).isEqualTo(14);
            double explained = r.path("explained_variance").get(0).asDouble() + r.path("explained_variance").get(1).asDouble();
            assertThat(explained).isBetween(0.0, 1.0001);
            assertThat(r.path("neighbours").path("in_input").findValuesAsText("position")).doesNotContain("13");
        }
        JsonNode wte = get(api, "/api/embeddings", text() + "&layer=-1&position=3");
        // " fox" is tokens 3 and 13: identical embeddings, so each is the other's nearest neighbour.
        assertThat(wte.path("neighbours").path("in_input").get(0).path("position").asInt()).isEqualTo(13);
        assertThat(wte.path("neighbours").path("in_vocabulary").get(0).path("text").asText()).isEqualTo(" fox");
        JsonNode a = get(api, "/api/embeddings", text() + "&layer=1&method=tsne&seed=5");
        JsonNode b = get(api, "/api/embeddings", text() + "&layer=1&method=tsne&seed=5");
        assertThat(a.path("points")).isEqualTo(b.path("points"));
        assertThat(a.path("explained_variance").isNull()).isTrue();
    }

    @Test
    void greedyGenerationChoosesTheTopCandidateAndTheLastLensIsTheModelsPrediction() throws Exception {
        JsonNode r = get(api, "/api/generation", text() + "&steps=4&sample=false");
        assertThat(r.path("steps").size()).isEqualTo(4);
        for (JsonNode step : r.path("steps")) {
            int chosen = step.path("chosen").path("id").asInt();
            assertThat(step.path("candidates").get(0).path("id").asInt()).isEqualTo(chosen);
            assertThat(step.path("lens").size()).isEqualTo(3);
            assertThat(step.path("lens").get(2).get(0).path("id").asInt()).isEqualTo(chosen);
        }
        JsonNode sampled = get(api, "/api/generation", text() + "&steps=3&temperature=0.7&top_k=5&top_p=0.9&seed=3");
        JsonNode first = sampled.path("steps").get(0);
        assertThat(first.path("stages").toString()).isEqualTo("[\"model\",\"temperature\",\"top_k\",\"top_p\"]");
        long kept = 0;
        for (JsonNode c : first.path("candidates")) {
            kept += c.path("removed").asBoolean() ? 0 : 1;
        }
        assertThat(kept).isBetween(1L, 5L);
    }

    @Test
    void trainingReadsTheCurvesAndSkipsALineCutOffMidWrite() throws Exception {
        JsonNode r = get(api, "/api/training", "");
        assertThat(r.path("run").asText()).isEqualTo(modelDir.toAbsolutePath().normalize().toString());
        assertThat(r.path("train").size()).isEqualTo(40);
        assertThat(r.path("eval").size()).isEqualTo(4);
        assertThat(r.path("samples").get(0).path("step").asInt()).isEqualTo(40);
        assertThat(r.path("last_step").asInt()).isEqualTo(40);
    }

    @Test
    void aFineTuningRunShowsItsDevAccuracyPerEpoch() throws Exception {
        Path run = java.nio.file.Files.createDirectories(temp.resolve("runs/sst2"));
        java.nio.file.Files.writeString(run.resolve(TrainingView.METRICS), String.join("\n",
                "{\"type\":\"step\",\"step\":1,\"epoch\":1,\"loss\":1.9,\"task_loss\":0.7}",
                "{\"type\":\"step\",\"step\":2,\"epoch\":1,\"loss\":1.7,\"task_loss\":0.6}",
                "{\"type\":\"eval\",\"step\":2,\"epoch\":1,\"train_loss\":1.8,\"dev_accuracy\":0.75,\"best\":true}", ""));
        JsonNode r = get(api, "/api/training", "run=" + URLEncoder.encode(run.toString(), StandardCharsets.UTF_8));
        assertThat(r.path("train").size()).isEqualTo(2);
        assertThat(r.path("eval").get(0).path("dev_accuracy").asDouble()).isEqualTo(0.75);
        assertThat(r.path("eval").get(0).path("val_loss").isNull()).isTrue();
        JsonNode pre = get(api, "/api/training", "");
        assertThat(pre.path("eval").get(0).path("dev_accuracy").isNull()).isTrue();
    }

    @Test
    void aPpoRunShowsItsRewardKlAndScoredResponses() throws Exception {
        Path run = java.nio.file.Files.createDirectories(temp.resolve("runs/ppo"));
        java.nio.file.Files.writeString(run.resolve(TrainingView.METRICS), String.join("\n",
                "{\"type\":\"ppo\",\"step\":1,\"score\":-0.4,\"kl\":0.0,\"beta\":0.2,\"entropy\":5.1,\"clip_fraction\":0.0,"
                        + "\"value_loss\":0.9,\"policy_loss\":0.01,\"approx_kl\":0.0}",
                "{\"type\":\"sample\",\"step\":1,\"prompt\":\"This film\",\"response\":\" is dull\",\"score\":-1.25}",
                "{\"type\":\"ppo\",\"step\":2,\"score\":0.3,\"kl\":0.5,\"beta\":0.2,\"entropy\":5.0,\"clip_fraction\":0.1,"
                        + "\"value_loss\":0.7,\"policy_loss\":0.02,\"approx_kl\":0.004}", ""));
        JsonNode r = get(api, "/api/training", "run=" + URLEncoder.encode(run.toString(), StandardCharsets.UTF_8));
        assertThat(r.path("train").size()).isZero();
        assertThat(r.path("last_step").asInt()).isEqualTo(2);
        assertThat(r.path("ppo").size()).isEqualTo(2);
        JsonNode last = r.path("ppo").get(1);
        assertThat(last.path("reward").asDouble()).isEqualTo(0.3);
        assertThat(last.path("kl").asDouble()).isEqualTo(0.5);
        assertThat(last.path("clip_fraction").asDouble()).isEqualTo(0.1);
        assertThat(last.path("approx_kl").asDouble()).isEqualTo(0.004);
        JsonNode sample = r.path("samples").get(0);
        assertThat(sample.path("prompt").asText()).isEqualTo("This film");
        assertThat(sample.path("text").asText()).isEqualTo(" is dull");
        assertThat(sample.path("score").asDouble()).isEqualTo(-1.25);

        Path cartpole = java.nio.file.Files.createDirectories(temp.resolve("runs/cartpole"));
        java.nio.file.Files.writeString(cartpole.resolve(TrainingView.METRICS), String.join("\n",
                "{\"type\":\"episode\",\"step\":40,\"return\":20.0,\"length\":20}",
                "{\"type\":\"iteration\",\"step\":512,\"iteration\":1,\"policy_loss\":-0.01,\"value_loss\":40.2,"
                        + "\"entropy\":0.69,\"approx_kl\":0.001,\"clip_fraction\":0.0,\"mean_return\":22.5}", ""));
        JsonNode c = get(api, "/api/training", "run=" + URLEncoder.encode(cartpole.toString(), StandardCharsets.UTF_8));
        assertThat(c.path("ppo").get(0).path("reward").asDouble()).isEqualTo(22.5);
        assertThat(c.path("ppo").get(0).path("kl").isNull()).as("CartPole has no reference policy").isTrue();
        assertThat(c.path("last_step").asInt()).isEqualTo(512);
    }

    @ParameterizedTest(name = "{0} {1}?{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "GET|/api/attention||400|type some text",
        "GET|/api/attention|text=a%20b&layer=9|400|layer must be in 0..1, got 9",
        "GET|/api/attention|text=a%20b&layer=x|400|layer must be an integer",
        "GET|/api/embeddings|text=a%20b&method=umap|400|method must be one of pca, tsne",
        "GET|/api/tokens|text=%zz|400|malformed query string",
        "GET|/api/tokens|text=a&text=b|400|given more than once",
        "GET|/api/tokens|tokens=1,x|400|'x' (item 2) is not a token id",
        "GET|/api/tokens|tokens=1,99999|400|outside the vocabulary",
        "GET|/api/generation|text=a%20b&temperature=0|400|temperature must be a number in",
        "GET|/api/generation|text=a%20b&steps=65|400|steps must be in 1..64",
        "GET|/api/training|run=/no/such/run|404|no training run at /no/such/run",
        "GET|/api/nothing||404|no endpoint /api/nothing",
        "POST|/api/tokens|text=a|405|answers GET",
    })
    void refusesBadRequestsWithAStatusAndAMessage(String method, String path, String query, int status, String message) {
        StudioApi.Reply r = api.handle(method, path, query, null);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.text()).startsWith("{\"error\":").contains(message);
    }

    @Test
    void textLongerThanTheContextIsRefusedNotTruncated() {
        // 100 x "word " is 101 tokens: the last space is a token of its own.
        StudioApi.Reply r = api.handle("GET", "/api/attention", "text=" + "word%20".repeat(100), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("the input is 101 tokens, longer than this model's context of 64 tokens");
    }

    @Test
    void switchingToAMissingOrMalformedModelKeepsTheCurrentOne() throws Exception {
        StudioApi.Reply missing = api.handle("POST", "/api/model", null, "{\"path\": \"/no/such/model\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).contains("no model at /no/such/model");
        StudioApi.Reply malformed = api.handle("POST", "/api/model", null, "{path:".getBytes(StandardCharsets.UTF_8));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text()).contains("the body must be JSON");
        Files.writeString(Files.createDirectories(temp.resolve("broken")).resolve("config.json"), "{\"n_layer\": ");
        StudioApi.Reply broken = api.handle("POST", "/api/model", null, ("{\"path\": \"" + temp.resolve("broken") + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.text()).contains("config.json");
        assertThat(get(api, "/api/model", "").path("directory").asText()).isEqualTo(modelDir.toAbsolutePath().normalize().toString());
    }

    @Test
    void aBareNameLoadsTheModelOfThatNameUnderModels() throws Exception {
        Path work = Files.createDirectories(temp.resolve("named"));
        Path named = TestModels.tiny(work.resolve("models/en-base"), PositionalEncoding.LEARNED);
        StudioApi a = new StudioApi(Studio.openMostRecent(work));
        StudioApi.Reply ok = a.handle("POST", "/api/model", null, "{\"path\": \"en-base\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(get(a, "/api/model", "").path("directory").asText()).isEqualTo(named.toAbsolutePath().normalize().toString());
        StudioApi.Reply unknown = a.handle("POST", "/api/model", null, "{\"path\": \"en-large\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("en-large: no such model directory, and no model of that name").contains("en-base");
    }

    @Test
    void aConfigClaimingABillionLayersIsRefusedAtOnceAndTheCurrentModelStays() throws Exception {
        Path huge = temp.resolve("huge");
        Files.createDirectories(huge);
        Files.copy(modelDir.resolve(ModelDirectory.WEIGHTS), huge.resolve(ModelDirectory.WEIGHTS));
        Files.writeString(huge.resolve(ModelDirectory.CONFIG), Files.readString(modelDir.resolve(ModelDirectory.CONFIG))
                .replaceFirst("\"n_layer\" : 2", "\"n_layer\" : 1000000000"));
        long t0 = System.nanoTime();
        StudioApi.Reply r = api.handle("POST", "/api/model", null, ("{\"path\": \"" + huge + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.text()).contains("config.json: n_layer is 1000000000 but model.safetensors holds 2 blocks");
        assertThat(get(api, "/api/model", "").path("directory").asText()).isEqualTo(modelDir.toAbsolutePath().normalize().toString());
    }

    @Test
    void withoutAModelEveryViewExplainsHowToMakeOne() throws Exception {
        StudioApi empty = new StudioApi(Studio.openMostRecent(Files.createDirectories(temp.resolve("empty"))));
        JsonNode info = get(empty, "/api/model", "");
        assertThat(info.path("loaded").asBoolean()).isFalse();
        assertThat(info.path("hint").asText()).contains("./gpt4j init");
        StudioApi.Reply r = empty.handle("GET", "/api/attention", "text=hi", null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.text()).contains("No model yet");
    }

    @Test
    void aModelWithoutATokenizerTakesTokenIdsInEveryView() throws Exception {
        Path work = Files.createDirectories(temp.resolve("bare-work"));
        Path bare = TestModels.withoutTokenizer(work.resolve("runs/bare"));
        StudioApi a = new StudioApi(Studio.open(bare));
        assertThat(get(a, "/api/model", "").path("has_tokenizer").asBoolean()).isFalse();
        // The architecture needs no input at all: shapes for the full context.
        JsonNode arch = get(a, "/api/architecture", "");
        assertThat(arch.path("length").asInt()).isEqualTo(TestModels.CONTEXT);
        assertThat(arch.path("model").path("vocab_size").asInt()).isEqualTo(TestModels.BARE_VOCAB);
        assertThat(get(a, "/api/architecture", "tokens=5,17,3").path("length").asInt()).isEqualTo(3);

        JsonNode tokens = get(a, "/api/tokens", "tokens=5,%2017%203,");
        assertThat(tokens.path("tokens").findValuesAsText("id")).containsExactly("5", "17", "3");
        assertThat(tokens.path("tokens").findValuesAsText("text")).containsExactly("#5", "#17", "#3");
        JsonNode att = get(a, "/api/attention", "tokens=5,17,3,5,17,3&layer=1&head=0");
        assertThat(att.path("detail").path("labels").get(3).asText()).isEqualTo("#5");
        assertThat(att.path("detail").path("probabilities").size()).isEqualTo(6);
        assertThat(get(a, "/api/positions", "tokens=1,2,3,4").path("shown").asInt()).isEqualTo(4);
        assertThat(get(a, "/api/embeddings", "tokens=1,2,3,4").path("points").size()).isEqualTo(4);
        JsonNode gen = get(a, "/api/generation", "tokens=5,17,3&steps=3&sample=false");
        assertThat(gen.path("steps").size()).isEqualTo(3);
        assertThat(gen.path("steps").get(0).path("chosen").path("text").asText()).startsWith("#");

        StudioApi.Reply text = a.handle("GET", "/api/attention", "text=hello", null);
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.text()).contains("holds no tokenizer: give token ids (tokens=5,17,3)");
        StudioApi.Reply none = a.handle("GET", "/api/attention", "", null);
        assertThat(none.text()).contains("give token ids (tokens=5,17,3): this model has no tokenizer");
        StudioApi.Reply outside = a.handle("GET", "/api/attention", "tokens=5,100", null);
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.text()).contains("tokens: id 100 (item 2) is outside the vocabulary (0..99)");
        StudioApi.Reply word = a.handle("GET", "/api/tokens", "tokens=5,seven", null);
        assertThat(word.text()).contains("'seven' (item 2) is not a token id: give integers 0..99 separated by commas");
        StudioApi.Reply empty = a.handle("GET", "/api/tokens", "tokens=%2C%20%2C", null);
        assertThat(empty.text()).contains("give token ids separated by commas, like 5,17,3");
    }

    @Test
    void aModelWithoutTrainingHistoryShowsNoOtherRunsCurves() throws Exception {
        Path work = Files.createDirectories(temp.resolve("history"));
        Path trained = TestModels.tiny(work.resolve("runs/trained"), PositionalEncoding.LEARNED);
        TestModels.metrics(trained);
        Path bare = TestModels.withoutTokenizer(work.resolve("runs/bare"));
        Files.setLastModifiedTime(trained.resolve(ModelDirectory.WEIGHTS), FileTime.fromMillis(1_000_000_000_000L));
        StudioApi a = new StudioApi(Studio.openMostRecent(work));
        assertThat(get(a, "/api/model", "").path("directory").asText()).isEqualTo(bare.toAbsolutePath().normalize().toString());
        JsonNode r = get(a, "/api/training", "");
        assertThat(r.path("run").isNull()).isTrue();
        assertThat(r.path("train").size()).isZero();
        assertThat(r.path("hint").asText()).startsWith("This model has no training history");
        // Asked by name, the other run still shows.
        JsonNode named = get(a, "/api/training", "run=" + URLEncoder.encode(trained.toString(), StandardCharsets.UTF_8));
        assertThat(named.path("train").size()).isEqualTo(40);
    }

    @Test
    void theCounterCountsAnInputPastTheContext() throws Exception {
        JsonNode r = get(api, "/api/count", "text=" + "word%20".repeat(100));
        assertThat(r.path("count").asInt()).isEqualTo(101);
        assertThat(r.path("context").asInt()).isEqualTo(TestModels.CONTEXT);
        assertThat(r.path("fits").asBoolean()).isFalse();
        assertThat(get(api, "/api/count", text()).path("fits").asBoolean()).isTrue();
    }

    @Test
    void withoutModelFlagTheNewestModelUnderRunsOpens() throws Exception {
        Path work = temp.resolve("work");
        Path older = TestModels.tiny(work.resolve("runs/older"), PositionalEncoding.LEARNED);
        Path newer = TestModels.tiny(work.resolve("runs/group/newer"), PositionalEncoding.NONE);
        Files.setLastModifiedTime(older.resolve(ModelDirectory.WEIGHTS), FileTime.fromMillis(2_000_000_000_000L));
        Files.setLastModifiedTime(newer.resolve(ModelDirectory.WEIGHTS), FileTime.fromMillis(1_000_000_000_000L));
        assertThat(Studio.openMostRecent(work).modelDirectory()).isEqualTo(older.toAbsolutePath().normalize());
    }
}
