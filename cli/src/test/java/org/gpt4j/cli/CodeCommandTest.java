package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code code generate} and {@code code eval}: the sample format, seeds, stop sequences, pass@k and errors. */
class CodeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path model;
    static Path problems;

    @BeforeAll
    static void setUp() throws Exception {
        StringBuilder ascii = new StringBuilder("\n\t");
        for (char c = ' '; c < 127; c++) {
            ascii.append(c);
        }
        CharTokenizer chars = CharTokenizer.fromText(ascii.toString());
        model = tmp.resolve("model");
        Cli.Result r = Cli.run("init", "--layers", "1", "--heads", "2", "--embd", "16", "--vocab",
                String.valueOf(chars.vocabSize()), "--context", "128", "--seed", "5", "--out", model.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Tokenizers.save(chars, model);
        problems = tmp.resolve("problems.jsonl");
        Files.writeString(problems, String.join("\n",
                problem("T/0", "def add(a, b):\n    \"\"\"Sum.\"\"\"\n", "    return a + b\n",
                        "def check(f):\n    assert f(1, 2) == 3\n", "add"),
                problem("T/1", "def neg(x):\n    \"\"\"Minus x.\"\"\"\n", "    return -x\n",
                        "def check(f):\n    assert f(2) == -2\n", "neg")) + "\n");
    }

    private static String problem(String id, String prompt, String solution, String test, String entry) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("task_id", id, "prompt", prompt, "canonical_solution", solution,
                "test", test, "entry_point", entry));
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void generateWritesNSamplesPerProblemTheSameForTheSameSeed() throws Exception {
        Path a = tmp.resolve("a.jsonl");
        Path b = tmp.resolve("b.jsonl");
        for (Path out : List.of(a, b)) {
            ok("code", "generate", "--model", model.toString(), "--problems", problems.toString(), "--out", out.toString(),
                    "--n", "5", "--max-tokens", "40", "--seed", "9", "--max-batch", "4");
        }
        List<String> lines = Files.readAllLines(a);
        assertThat(lines).hasSize(10);
        assertThat(Files.readAllLines(b)).isEqualTo(lines);
        for (int i = 0; i < 10; i++) {
            JsonNode s = JSON.readTree(lines.get(i));
            assertThat(s.get("task_id").asText()).isEqualTo(i < 5 ? "T/0" : "T/1");
            String completion = s.get("completion").asText();
            for (String stop : CodeGenerateCommand.CODEX_STOPS) {
                assertThat(completion).doesNotContain(stop);
            }
        }
        Path c = tmp.resolve("c.jsonl");
        ok("code", "generate", "--model", model.toString(), "--problems", problems.toString(), "--out", c.toString(),
                "--n", "5", "--max-tokens", "40", "--seed", "10");
        assertThat(Files.readAllLines(c)).isNotEqualTo(lines);
    }

    @Test
    void evalScoresSolutionsAndWritesResults() throws Exception {
        assumeTrue(python(), "python3 is not installed");
        Path samples = tmp.resolve("mixed.jsonl");
        Files.writeString(samples, String.join("\n",
                "{\"task_id\": \"T/0\", \"completion\": \"    return a + b\\n\"}",
                "{\"task_id\": \"T/0\", \"completion\": \"    return a - b\\n\"}",
                "{\"task_id\": \"T/1\", \"completion\": \"    while True: pass\\n\"}",
                "{\"task_id\": \"T/1\", \"completion\": \"    return -x\\n\"}") + "\n");
        Cli.Result r = ok("code", "eval", "--problems", problems.toString(), "--samples", samples.toString(),
                "--k", "1,2,3", "--timeout", "3", "--json");
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.get("pass@1").asDouble()).isEqualTo(0.5);
        assertThat(json.get("pass@2").asDouble()).isEqualTo(1.0);
        assertThat(json.has("pass@3")).isFalse();
        assertThat(r.err()).contains("pass@3 left out");
        assertThat(json.get("problems").asInt()).isEqualTo(2);
        List<String> results = Files.readAllLines(tmp.resolve("mixed_results.jsonl"));
        assertThat(results).hasSize(4);
        assertThat(JSON.readTree(results.get(1)).get("result").asText()).isEqualTo("failed: AssertionError");
        assertThat(JSON.readTree(results.get(2)).get("result").asText()).startsWith("timed out");
    }

    @Test
    void badInputGetsOneClearError() throws Exception {
        Path samples = tmp.resolve("unknown.jsonl");
        Files.writeString(samples, "{\"task_id\": \"T/9\", \"completion\": \"\"}\n");
        assumeTrue(python(), "python3 is not installed");
        Cli.Result r = Cli.run("code", "eval", "--problems", problems.toString(), "--samples", samples.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("T/9").contains("matches no problem").doesNotContain("Exception");
        Cli.Result noFile = Cli.run("code", "generate", "--model", model.toString(), "--problems",
                tmp.resolve("none.jsonl").toString(), "--out", tmp.resolve("x.jsonl").toString());
        assertThat(noFile.exitCode()).isNotZero();
        assertThat(noFile.err()).contains("none.jsonl").contains("no such file");
        assertThat(Files.exists(tmp.resolve("x.jsonl"))).isFalse();
    }

    @Test
    void textWritesPromptsWithTheirSolutionsAndSplitsNeedMbppIds() throws Exception {
        Path text = tmp.resolve("train.txt");
        ok("code", "text", "--problems", problems.toString(), "--split", "all", "--out", text.toString());
        assertThat(Files.readString(text)).isEqualTo("def add(a, b):\n    \"\"\"Sum.\"\"\"\n    return a + b\n\n\n"
                + "def neg(x):\n    \"\"\"Minus x.\"\"\"\n    return -x\n\n\n");
        Cli.Result again = Cli.run("code", "text", "--problems", problems.toString(), "--split", "all", "--out", text.toString());
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("--force");
        // HumanEval's ids have no MBPP split: an error, not an empty file.
        Cli.Result split = Cli.run("code", "text", "--problems", problems.toString(), "--out", tmp.resolve("t2.txt").toString());
        assertThat(split.exitCode()).isNotZero();
        assertThat(split.err()).contains("T/0").contains("not an MBPP id");
        assertThat(Files.exists(tmp.resolve("t2.txt"))).isFalse();
        Cli.Result badName = Cli.run("code", "generate", "--model", model.toString(), "--problems", problems.toString(),
                "--split", "dev", "--out", tmp.resolve("t3.jsonl").toString());
        assertThat(badName.exitCode()).isNotZero();
        assertThat(badName.err()).contains("unknown MBPP split 'dev'");
    }

    private static boolean python() {
        try {
            return new ProcessBuilder("python3", "-c", "pass").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
