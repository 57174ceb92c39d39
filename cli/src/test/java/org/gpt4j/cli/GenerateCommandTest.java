package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code generate} command contract: JSON, streaming, the timeline, seeds, and clear errors. */
class GenerateCommandTest {

    @TempDir
    static Path tmp;

    static final CharTokenizer CHARS = CharTokenizer.fromText("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ.,é世");
    static Path text;   // a character vocabulary, context 16
    static Path ids;    // 20 ids, no tokenizer, context 16

    @BeforeAll
    static void models() throws Exception {
        text = tmp.resolve("text");
        init(text, String.valueOf(CHARS.vocabSize()));
        Tokenizers.save(CHARS, text);
        ids = tmp.resolve("ids");
        init(ids, "20");
    }

    private static void init(Path dir, String vocab) {
        Cli.Result r = Cli.run("init", "--layers", "1", "--heads", "2", "--embd", "8", "--vocab", vocab, "--context", "16",
                "--seed", "3", "--out", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    private static String[] args(Path model, String... rest) {
        List<String> a = new ArrayList<>(List.of("generate", "--model", model.toString()));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    @Test
    void jsonHasTheNewTokensAndTheirText() throws Exception {
        Cli.Result r = ok(args(text, "--prompt", "Hello world", "--max-new-tokens", "6", "--greedy", "--json"));
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("tokens")).hasSize(6);
        int[] tokens = new int[6];
        for (int i = 0; i < 6; i++) {
            tokens[i] = json.get("tokens").get(i).asInt();
        }
        assertThat(json.get("text").asText()).isEqualTo(CHARS.decode(tokens));
    }

    @Test
    void severalSequencesPrintAListAndOneSeedGivesOneText() throws Exception {
        String[] a = args(text, "--prompt", "Once upon a time", "--max-new-tokens", "5", "--temperature", "1.2",
                "--top-k", "40", "--top-p", "0.95", "--repetition-penalty", "1.1", "--num-return-sequences", "3",
                "--seed", "11", "--json");
        JsonNode first = new ObjectMapper().readTree(ok(a).out());
        JsonNode again = new ObjectMapper().readTree(ok(a).out());
        assertThat(first.isArray()).isTrue();
        assertThat(first).hasSize(3);
        assertThat(again).isEqualTo(first);
        a[a.length - 2] = "12";
        assertThat(new ObjectMapper().readTree(ok(a).out())).isNotEqualTo(first);
    }

    @Test
    void streamingPrintsThePromptAndTheSameTextAsWithout() {
        String streamed = ok(args(text, "--prompt", "The cat", "--max-new-tokens", "8", "--sample", "--seed", "4",
                "--stream")).out();
        String whole = ok(args(text, "--prompt", "The cat", "--max-new-tokens", "8", "--sample", "--seed", "4")).out();
        assertThat(streamed).startsWith("The cat").isEqualTo(whole);
    }

    @Test
    void showCandidatesPrintsEveryStepsStagesAndChoice() {
        String out = ok(args(ids, "--tokens", "1,2,3", "--max-new-tokens", "3", "--temperature", "0.7", "--top-k", "4",
                "--seed", "1", "--show-candidates", "5")).out();
        assertThat(out).contains("step 1", "step 2", "step 3").doesNotContain("step 4");
        assertThat(out.lines().filter(l -> l.contains("model") && l.contains("temperature") && l.contains("top_k"))).hasSize(3);
        assertThat(out.lines().filter(l -> l.startsWith("  chosen: "))).hasSize(3);
        assertThat(out.lines().filter(l -> l.startsWith("> "))).hasSize(3);
    }

    @Test
    void idsOnlyModelGivesTokensAndNullText() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ok(args(ids, "--tokens", "1,2,3", "--max-new-tokens", "4", "--json")).out());
        assertThat(json.get("tokens")).hasSize(4);
        assertThat(json.get("text").isNull()).isTrue();
    }

    @Test
    void beamSearchReturnsTheBestBeams() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ok(args(ids, "--tokens", "1,2,3", "--max-new-tokens", "4", "--beams", "3",
                "--length-penalty", "0.5", "--early-stopping", "never", "--num-return-sequences", "2", "--json")).out());
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("tokens")).hasSize(4);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"bf16", "int8"})
    void compactWeightsGenerateGreedilyAndWithBeams(String weights) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode greedy = json.readTree(ok(args(text, "--prompt", "the cat", "--max-new-tokens", "6", "--json",
                "--weights", weights)).out());
        assertThat(greedy.get("tokens")).hasSize(6);
        assertThat(greedy.get("text").asText()).hasSize(6);
        JsonNode beams = json.readTree(ok(args(ids, "--tokens", "1,2,3", "--max-new-tokens", "4", "--beams", "3",
                "--num-return-sequences", "2", "--json", "--weights", weights)).out());
        assertThat(beams).hasSize(2);
        // Past the 16-position context the window slides and is re-read in one pass (the many-rows path).
        String[] prompt = {"--tokens", "1,2,3,4", "--max-new-tokens", "20", "--json", "--weights", weights};
        assertThat(json.readTree(ok(args(ids, prompt)).out()).get("tokens")).hasSize(20);
    }

    @Test
    void promptLongerThanTheContextSlidesInsteadOfFailing() throws Exception {
        String prompt = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,0,1,2,3,4,5";
        JsonNode json = new ObjectMapper().readTree(ok(args(ids, "--tokens", prompt, "--max-new-tokens", "20", "--json")).out());
        assertThat(json.get("tokens")).hasSize(20);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "--greedy --temperature 0.5                | --greedy contradicts --temperature",
        "--temperature 0                           | temperature must be a positive number, got 0.0",
        "--top-p 0                                 | top_p must be in (0, 1], got 0.0",
        "--top-p 1.5                               | top_p must be in (0, 1], got 1.5",
        "--beams 2 --top-k 5                       | --beams does not combine with --top-k",
        "--beams 2 --stream                        | --stream needs one running sequence",
        "--length-penalty 2                        | --length-penalty applies to beam search",
        "--beams 2 --num-return-sequences 3        | num_return_sequences (3) must be <= num_beams (2)",
        "--num-return-sequences 2                  | greedy decoding gives one sequence",
        "--stream --json                           | --json prints one result at the end",
        "--early-stopping maybe --beams 2          | early_stopping must be true, false or never",
        "--stop x                                  | stop_strings need a tokenizer"})
    void contradictoryOrInvalidOptionsFailWithOneLine(String options, String message) {
        List<String> a = new ArrayList<>(List.of(args(ids, "--tokens", "1,2", "--max-new-tokens", "2")));
        a.addAll(List.of(options.trim().split("\\s+")));
        Cli.Result r = Cli.run(a.toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("error: ").contains(message);
    }

    @Test
    void unknownTokensAndMissingTokenizerAreClearErrors() {
        Cli.Result r = Cli.run(args(ids, "--tokens", "1,20", "--max-new-tokens", "2"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: prompt token 20 at position 1 is outside the vocabulary (vocab_size = 20)");
        r = Cli.run(args(ids, "--prompt", "hi", "--max-new-tokens", "2"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("holds no tokenizer").contains("give --tokens");
    }

    @ParameterizedTest
    @CsvSource({"0", "-5"})
    void aMaxNewTokensBelowOneNamesTheOption(String n) {
        Cli.Result r = Cli.run(args(ids, "--tokens", "1,2", "--max-new-tokens", n));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualToIgnoringNewLines("error: --max-new-tokens must be at least 1, got " + n);
    }

    @Test
    void theLargestMaxNewTokensRunsUntilTheEndOfSequence() throws Exception {
        JsonNode few = new ObjectMapper().readTree(ok(args(ids, "--tokens", "1,2", "--max-new-tokens", "4", "--json")).out());
        int first = few.get("tokens").get(0).asInt();
        for (String decoding : List.of("--greedy", "--beams=2 --early-stopping=true")) {
            List<String> a = new ArrayList<>(List.of(args(ids, "--tokens", "1,2", "--max-new-tokens", "2147483647",
                    "--eos-token-id", Integer.toString(first), "--json")));
            a.addAll(List.of(decoding.split(" ")));
            Cli.Result r = ok(a.toArray(String[]::new));
            assertThat(new ObjectMapper().readTree(r.out()).get("tokens").toString()).as(decoding).endsWith(first + "]");
        }
    }

    @Test
    void nonFiniteLogitsAreOneErrorNamingTheModel() throws Exception {
        Path huge = tmp.resolve("huge-weights");
        init(huge, "20");
        Gpt gpt = ModelDirectory.load(huge);
        // Finite weights, so the model loads, but too large to compute with: the logits overflow.
        java.util.Arrays.fill(gpt.parameters().data("ln_f.weight"), Float.MAX_VALUE);
        ModelDirectory.save(gpt, huge);
        for (String decoding : List.of("--greedy", "--temperature=0.8", "--beams=2")) {
            Cli.Result r = Cli.run(args(huge, "--tokens", "1,2", "--max-new-tokens", "3", decoding));
            assertThat(r.exitCode()).as(decoding).isEqualTo(1);
            assertThat(r.err().lines()).as(decoding).hasSize(1).first().asString()
                    .startsWith("error: " + huge + ": the model's next-token logits are not finite");
        }
    }
}
