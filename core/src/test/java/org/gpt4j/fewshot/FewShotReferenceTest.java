package org.gpt4j.fewshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gpt4j.finetune.TaskColumns;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Few-shot scoring agrees with PyTorch (tools/reference/fewshot_reference.py, float64, no KV
 * cache): from the task files through the readers, template, demonstrations, separator and
 * dropping to fit the context, the prompt ids are identical; each answer's log-likelihood and
 * score agree to 1e-5 relative; the probabilities, the content-free p_cf and the calibrated
 * probabilities to 1e-5; and the predictions with and without calibration are the same. The
 * examples of a case run in order through one evaluator, so the KV cache's reuse of the shared
 * demonstrations is what is checked.
 */
class FewShotReferenceTest {

    private static final Path DIR = resource("fixtures/fewshot");

    static Stream<String> cases() throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode c : reference().get("cases")) {
            names.add(c.get("name").asText());
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scoresCalibrationAndPredictionsMatchPyTorchReference(String name) throws IOException {
        JsonNode c = null;
        for (JsonNode x : reference().get("cases")) {
            if (x.get("name").asText().equals(name)) {
                c = x;
            }
        }
        Gpt gpt = ModelDirectory.load(DIR);
        Tokenizer tokenizer = Tokenizers.load(DIR);
        assertThat(gpt.config().nPositions()).isEqualTo(reference().get("n_positions").asInt());
        FewShotTask task = FewShotTask.fromLabel(c.get("task").asText());
        String labels = c.get("labels").isNull() ? null : c.get("labels").asText();
        FewShotData data = FewShotData.read(task, DIR.resolve(c.get("train").asText()), DIR.resolve(c.get("data").asText()),
                TaskColumns.automatic(), labels, " ");
        PromptTemplate template = PromptTemplate.parse(c.get("template").asText());
        data.requireFields(template);
        int[] demonstrations = ints(c.get("demonstrations"));
        FewShotOptions options = new FewShotOptions(demonstrations.length, 0, template,
                PromptTemplate.unescape(c.get("separator").asText()), Scoring.fromLabel(c.get("scoring").asText()), true);
        FewShotEvaluator evaluator = new FewShotEvaluator(gpt, tokenizer, data.train(), options);

        assertThat(data.data()).hasSize(c.get("examples").size());
        for (JsonNode e : c.get("examples")) {
            FewShotExample question = data.data().get(e.get("index").asInt());
            String at = name + " example " + e.get("index").asInt();
            assertThat(question.gold()).as(at + " gold").isEqualTo(e.get("gold").asInt());
            ExampleScore s = evaluator.score(question, demonstrations);
            assertThat(s.prompt().ids()).as(at + " prompt ids").containsExactly(ints(e.get("prompt")));
            assertThat(s.prompt().demonstrations()).as(at + " demonstrations kept").containsExactly(ints(e.get("demonstrations")));
            assertThat(s.prompt().dropped()).as(at + " dropped").isEqualTo(e.get("dropped").asInt());
            assertThat(s.prompt().cutTokens()).as(at + " cut").isEqualTo(e.get("cut").asInt());
            assertClose(s.logLikelihoods(), e.get("log_likelihoods"), at + " log-likelihoods");
            assertClose(s.scores(), e.get("scores"), at + " scores");
            assertClose(s.probabilities(), e.get("probabilities"), at + " probabilities");
            assertClose(s.contentFree(), e.get("content_free"), at + " content-free p_cf");
            assertClose(s.calibrated(), e.get("calibrated"), at + " calibrated");
            assertThat(s.predictedUncalibrated()).as(at + " prediction").isEqualTo(e.get("predicted_uncalibrated").asInt());
            assertThat(s.predicted()).as(at + " calibrated prediction").isEqualTo(e.get("predicted").asInt());
        }
    }

    /** |java - reference| <= 1e-5 * max(1, |reference|). */
    private static void assertClose(double[] actual, JsonNode expected, String what) {
        assertThat(actual).as(what).hasSize(expected.size());
        for (int i = 0; i < actual.length; i++) {
            double r = expected.get(i).asDouble();
            assertThat(Math.abs(actual[i] - r)).as(what + "[" + i + "]: " + actual[i] + " vs " + r)
                    .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(r)));
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static JsonNode reference() throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
    }

    static Path resource(String path) {
        try {
            return Paths.get(FewShotReferenceTest.class.getClassLoader().getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + path, e);
        }
    }
}
