package org.gpt4j.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.finetune.TaskDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COPA / XCOPA-shaped JSONL: options as choice1..N or choices, a 0-based label, and one error with file and line for bad input. */
class MultipleChoiceJsonlTest {

    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("mc.jsonl"), content, StandardCharsets.UTF_8);
    }

    @Test
    void readsXcopaShapeAndChoicesArrays() throws IOException {
        Path f = write("{\"premise\": \"The man turned on the tap.\", \"choice1\": \"The toilet is full.\", \"choice2\": \"Water flows.\","
                + " \"question\": \"effect\", \"label\": 1, \"idx\": 0, \"changed\": false}\n\n"
                + "{\"premise\": \"p\", \"choices\": [\"a\", \"b\", \"c\"], \"label\": \"2\"}\n");
        List<FewShotExample> e = MultipleChoiceJsonl.read(f, " ");
        assertThat(e).hasSize(2);
        assertThat(e.get(0).continuations()).containsExactly(" The toilet is full.", " Water flows.");
        assertThat(e.get(0).gold()).isEqualTo(1);
        assertThat(e.get(0).fields()).containsEntry("premise", "The man turned on the tap.").containsEntry("question", "effect")
                .containsEntry("idx", "0").doesNotContainKey("changed");
        assertThat(e.get(0).source()).isEqualTo(f + ":1");
        assertThat(e.get(1).continuations()).containsExactly(" a", " b", " c");
        assertThat(e.get(1).gold()).isEqualTo(2);
        assertThat(e.get(1).source()).isEqualTo(f + ":3");
        assertThat(MultipleChoiceJsonl.read(f, "").get(1).continuations()).containsExactly("a", "b", "c");
    }

    @Test
    void everyBadLineIsOneErrorNamingFileAndLine() throws IOException {
        String ok = "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0}\n";
        assertError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choi", ":2: not JSON");
        assertError(ok + "[1, 2]\n", ":2: expected a JSON object, found ARRAY");
        assertError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"label\": 0}\n", ":2: expected at least 2 options");
        assertError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\"}\n", ":2: 'label' must be the 0-based index");
        assertError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 2}\n", ":2: 'label' 2 is not an option index in [0, 2)");
        assertError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": -1}\n", ":2: 'label' -1 is not an option index");
        assertError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": 7, \"label\": 0}\n", ":2: option choice2 must be a non-empty string");
        assertError(ok + "{\"premise\": \"p\", \"choices\": \"ab\", \"label\": 0}\n", ":2: 'choices' must be an array");
        assertError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 99999999999}\n", ":2: 'label' 99999999999 is not an option index");
        assertError("\n  \n", ": no examples");
        assertError(ok + "{\"premise\": \"" + "x".repeat(MultipleChoiceJsonl.MAX_LINE_CHARS) + "\"}\n", ":2: line longer than");
        Path bad = dir.resolve("bad.jsonl");
        Files.write(bad, new byte[] {'{', '"', 'p', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'});
        assertThatThrownBy(() -> MultipleChoiceJsonl.read(bad, " ")).isInstanceOf(TaskDataException.class)
                .hasMessage(bad + ":1: not valid UTF-8");
        assertThatThrownBy(() -> MultipleChoiceJsonl.read(dir.resolve("missing.jsonl"), " ")).hasMessageEndingWith("missing.jsonl: no such file");
    }

    private void assertError(String content, String expected) throws IOException {
        Path f = write(content);
        assertThatThrownBy(() -> MultipleChoiceJsonl.read(f, " ")).isInstanceOf(TaskDataException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContaining(expected);
    }
}
