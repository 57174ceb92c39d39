package org.gpt4j.evaluate.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems and samples files: both formats, gzip, and one clear error for every bad file. */
class CodeJsonlTest {

    @TempDir
    Path dir;

    static Path humanEval() {
        try {
            return Path.of(CodeJsonlTest.class.getResource("/code_eval/HumanEval.jsonl.gz").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsHumanEvalGzipped() {
        Map<String, CodeProblem> problems = CodeJsonl.problems(humanEval());
        assertThat(problems).hasSize(164);
        CodeProblem first = problems.get("HumanEval/0");
        assertThat(first.entryPoint()).isEqualTo("has_close_elements");
        assertThat(first.program("    return True\n")).startsWith(first.prompt()).endsWith("check(has_close_elements)\n");
    }

    @Test
    void readsMbppWithItsTestsAsTheProgramsEnd() throws IOException {
        Path f = write("{\"text\": \"Add two numbers.\", \"code\": \"def add(a, b):\\n    return a + b\", \"task_id\": 7, "
                + "\"test_setup_code\": \"\", \"test_list\": [\"assert add(1, 2) == 3\"], \"challenge_test_list\": []}\n");
        CodeProblem p = CodeJsonl.problems(f).get("7");
        assertThat(p.completionIsWhole()).isTrue();
        assertThat(p.prompt()).contains("Add two numbers.").contains("assert add(1, 2) == 3");
        assertThat(p.program(p.reference())).startsWith("def add(a, b):").contains("assert add(1, 2) == 3");
    }

    @Test
    void badFilesGetOneErrorNamingFileAndLine() throws IOException {
        assertThatThrownBy(() -> CodeJsonl.problems(write("{\"task_id\": \"a\", \"prompt\": \"x\"}\n")))
                .isInstanceOf(CodeDataException.class).hasMessageContaining("line 1").hasMessageContaining("neither");
        assertThatThrownBy(() -> CodeJsonl.samples(write("{\"task_id\": \"a\", \"completion\": 3}\n")))
                .hasMessageContaining("\"completion\" must be a string");
        assertThatThrownBy(() -> CodeJsonl.samples(write("\n{\"task_id\": \"a\", \"comp")))
                .hasMessageContaining("line 2").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> CodeJsonl.samples(write("[1]\n"))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> CodeJsonl.samples(write(""))).hasMessageContaining("no samples");
        assertThatThrownBy(() -> CodeJsonl.samples(dir.resolve("missing.jsonl"))).hasMessageContaining("no such file");
        assertThatThrownBy(() -> CodeJsonl.samples(write("{\"task_id\": \"a\", \"task_id\": \"b\", \"completion\": \"\"}")))
                .hasMessageContaining("not valid JSON");
        Path huge = write("{\"task_id\": \"a\", \"completion\": \"" + "x".repeat(CodeJsonl.MAX_LINE) + "\"}\n");
        assertThatThrownBy(() -> CodeJsonl.samples(huge)).hasMessageContaining("longer than");
        Path latin = dir.resolve("latin1.jsonl");
        Files.write(latin, new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        assertThatThrownBy(() -> CodeJsonl.samples(latin)).hasMessageContaining("not UTF-8");
        Path gz = dir.resolve("cut.jsonl.gz");
        byte[] whole = Files.readAllBytes(humanEval());
        Files.write(gz, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> CodeJsonl.problems(gz)).isInstanceOf(CodeDataException.class).hasMessageContaining("gzip");
        String twice = "{\"task_id\": \"a\", \"prompt\": \"\", \"test\": \"\", \"entry_point\": \"f\"}\n";
        assertThatThrownBy(() -> CodeJsonl.problems(write(twice + twice))).hasMessageContaining("appears twice");
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "data", ".jsonl");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }
}
