package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fewshot} end to end on a tiny model: the JSON it promises ({@code accuracy}, {@code n},
 * {@code shots}), the same numbers for the same seed, a report of dropped demonstrations, and one
 * error line for each kind of bad input.
 */
class FewShotCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path model;
    private Path train;
    private Path data;

    @BeforeEach
    void setUp() throws Exception {
        model = tmp.resolve("base");
        CharTokenizer tok = CharTokenizer.fromText("abcdefghijklmnopqrstuvwxyz .:,/\nRSNA");
        ModelDirectory.save(GptInit.randomGpt(GptConfig.gpt2(1, 2, 16, 64, tok.vocabSize()), 1), model);
        Tokenizers.save(tok, model);
        train = Files.writeString(tmp.resolve("train.tsv"), "sentence\tlabel\n"
                + "a fine film .\t1\na dull film .\t0\nfine .\t1\ndull .\t0\ngood fun\t1\nbad acting\t0\n");
        data = Files.writeString(tmp.resolve("dev.tsv"), "sentence\tlabel\nfine fine .\t1\ndull dull .\t0\nfun\t1\n");
    }

    /** fewshot on the TSVs, with a template and label words unless {@code extra} gives its own. */
    private Cli.Result fewshot(String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("fewshot", "--model", model.toString(),
                "--train", train.toString(), "--data", data.toString()));
        java.util.List<String> given = java.util.List.of(extra);
        if (!given.contains("--template")) {
            args.addAll(java.util.List.of("--template", "R: {text}\\nS:"));
        }
        if (!given.contains("--labels")) {
            args.addAll(java.util.List.of("--labels", " bad, good"));
        }
        args.addAll(given);
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void printsAccuracyNAndShotsAsJsonAndTheSameSeedGivesTheSameNumbers() throws Exception {
        Cli.Result r = fewshot("--shots", "2", "--seed", "3", "--calibrate", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = MAPPER.readTree(r.out());
        assertThat(n.get("n").asInt()).isEqualTo(3);
        assertThat(n.get("shots").asInt()).isEqualTo(2);
        assertThat(n.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(n.get("calibrated").asBoolean()).isTrue();
        assertThat(n.has("accuracy_uncalibrated") && n.has("macro_f1") && n.has("seconds")).as(r.out()).isTrue();
        assertThat(n.get("verbalisers").toString()).isEqualTo("[\" bad\",\" good\"]");
        assertThat(n.get("mean_demonstrations").asDouble()).isEqualTo(2.0);
        assertThat(r.err()).contains("fewshot: 3/3 examples");

        Cli.Result again = fewshot("--shots", "2", "--seed", "3", "--calibrate", "--json");
        JsonNode m = MAPPER.readTree(again.out());
        assertThat(m.get("accuracy")).isEqualTo(n.get("accuracy"));
        assertThat(m.get("accuracy_uncalibrated")).isEqualTo(n.get("accuracy_uncalibrated"));

        Cli.Result limited = fewshot("--shots", "0", "--limit", "2", "--json");
        assertThat(MAPPER.readTree(limited.out()).get("n").asInt()).isEqualTo(2);
        assertThat(MAPPER.readTree(limited.out()).has("accuracy_uncalibrated")).isFalse();
    }

    @Test
    void saysSoWhenDemonstrationsHadToBeDropped() throws Exception {
        Cli.Result r = fewshot("--shots", "6", "--seed", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("demonstrations dropped (leftmost first)").contains("accuracy");
        JsonNode n = MAPPER.readTree(fewshot("--shots", "6", "--seed", "1", "--json").out());
        assertThat(n.get("demonstrations_dropped").asInt()).isPositive();
        assertThat(n.get("mean_demonstrations").asDouble()).isLessThan(6.0);
    }

    @Test
    void multipleChoiceScoresEachOption() throws Exception {
        Path mc = Files.writeString(tmp.resolve("mc.jsonl"),
                "{\"premise\": \"it rained.\", \"choice1\": \"we got wet.\", \"choice2\": \"we sang.\", \"label\": 0}\n"
                        + "{\"premise\": \"i was cold.\", \"choices\": [\"i ate.\", \"i put on a coat.\"], \"label\": 1}\n"
                        + "{\"premise\": \"the cup fell.\", \"choice1\": \"it broke.\", \"choice2\": \"it grew.\", \"label\": 0}\n");
        Cli.Result r = Cli.run("fewshot", "--model", model.toString(), "--task", "multiple-choice", "--train", mc.toString(),
                "--data", mc.toString(), "--shots", "2", "--calibrate", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = MAPPER.readTree(r.out());
        assertThat(n.get("n").asInt()).isEqualTo(3);
        assertThat(n.get("score").asText()).isEqualTo("mean");
        assertThat(n.has("macro_f1")).isFalse();
    }

    @Test
    void badInputIsOneErrorLine() throws Exception {
        assertError(Cli.run("fewshot", "--model", model.toString(), "--train", train.toString(), "--data", data.toString()),
                "the labels of " + train + " are integers [0, 1]: give a word for each with --labels");
        assertError(fewshot("--shots", "7"), "--shots 7 is more than the 6 training examples");
        assertError(fewshot("--template", "Review: {review}\\nSentiment:"),
                "the template reads {review}, which classification data does not have; its fields are [{text}]");
        assertError(fewshot("--labels", " bad,"), "the word for label '1' (number 2) is empty");
        assertError(fewshot("--task", "regression"), "unknown task 'regression'");
        assertError(fewshot("--score", "max"), "unknown scoring 'max'");
        Path bad = Files.writeString(tmp.resolve("bad.tsv"), "sentence\tlabel\nfine .\t1\nno label here\n");
        assertError(Cli.run("fewshot", "--model", model.toString(), "--train", train.toString(), "--data", bad.toString(),
                "--labels", " bad, good"), bad + ":3: expected 2 tab-separated fields");
        assertError(Cli.run("fewshot", "--model", "no-such-model-name", "--train", train.toString(), "--data", data.toString()),
                "no-such-model-name: no such model directory, and no model of that name");
    }

    @Test
    void helpExplainsEveryOption() {
        Cli.Result r = Cli.run("fewshot", "--help");
        assertThat(r.exitCode()).isZero();
        for (String option : new String[] {"--model", "--task", "--train", "--data", "--shots", "--seed", "--template", "--labels",
            "--separator", "--choice-prefix", "--score", "--calibrate", "--limit", "--text-column", "--weights", "--json"}) {
            assertThat(r.out()).contains(option);
        }
        // picocli wraps descriptions to the terminal: compare the words, not the line breaks
        assertThat(r.out().replaceAll("\\s+", " ")).contains("Zhao et al. 2021").contains("leading spaces matter");
    }

    private static void assertError(Cli.Result r, String message) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains(message);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }
}
