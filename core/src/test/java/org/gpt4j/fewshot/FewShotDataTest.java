package org.gpt4j.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.finetune.TaskColumns;
import org.gpt4j.finetune.TaskDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multiple-choice few-shot data in the shape of COPA / XCOPA, read by the fine-tuning JSONL reader:
 * the template sees the object's own fields (the premise as written, the question as its word),
 * each option follows the choice prefix, the label is the gold option, and a bad line is one error
 * naming the file and line.
 */
class FewShotDataTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void multipleChoiceExamplesHaveTheObjectsFieldsAndTheirOwnOptions() throws IOException {
        Path f = write("mc.json", "{\"premise\": \"The man turned on the tap.\", \"choice1\": \"The toilet is full.\", \"choice2\": \"Water flows.\","
                + " \"question\": \"effect\", \"label\": 1, \"idx\": 0, \"changed\": false}\n\n"
                + "{\"premise\": \"p\", \"choices\": [\"a\", \"b\"], \"label\": \"0\"}\n");
        FewShotData d = FewShotData.read(FewShotTask.MULTIPLE_CHOICE, f, f, TaskColumns.automatic(), null, " ");
        List<FewShotExample> e = d.data();
        assertThat(e).hasSize(2);
        assertThat(e.get(0).continuations()).containsExactly(" The toilet is full.", " Water flows.");
        assertThat(e.get(0).gold()).isEqualTo(1);
        assertThat(e.get(0).fields()).containsEntry("premise", "The man turned on the tap.").containsEntry("question", "effect")
                .containsEntry("idx", "0").doesNotContainKey("changed");
        assertThat(e.get(0).source()).isEqualTo(f + ":1");
        assertThat(e.get(1).continuations()).containsExactly(" a", " b");
        assertThat(e.get(1).gold()).isZero();
        assertThat(e.get(1).source()).isEqualTo(f + ":3");
        assertThat(d.fields()).containsExactlyInAnyOrder("premise", "label");
        assertThat(FewShotData.read(FewShotTask.MULTIPLE_CHOICE, f, f, TaskColumns.automatic(), null, "").train().get(1)
                .continuations()).containsExactly("a", "b");
        assertThatThrownBy(() -> d.requireFields(PromptTemplate.parse("{premise} ({question})")))
                .hasMessage(f + ":3: the template reads {question}, which this example does not have; its fields are"
                        + " [{label}, {premise}]");
    }

    @Test
    void aQuestionWithoutAContextFieldNeedsTextColumn() throws IOException {
        Path goal = write("piqa.jsonl", "{\"goal\": \"open a jar\", \"choice1\": \"twist\", \"choice2\": \"sing\", \"label\": 0}\n");
        assertThatThrownBy(() -> FewShotData.read(FewShotTask.MULTIPLE_CHOICE, goal, goal, TaskColumns.automatic(), null, " "))
                .isInstanceOf(TaskDataException.class).hasMessageStartingWith(goal + ":1: no context").hasMessageContaining("--text-column");
        FewShotData d = FewShotData.read(FewShotTask.MULTIPLE_CHOICE, goal, goal, new TaskColumns("goal", null, null), null, " ");
        assertThat(d.data().get(0).fields()).containsEntry("goal", "open a jar");
    }

    @Test
    void aBadQuestionIsOneErrorNamingFileAndLine() throws IOException {
        Path good = write("train.jsonl", "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0}\n");
        Path bad = write("dev.jsonl", "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 1}\n"
                + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 2}\n");
        assertThatThrownBy(() -> FewShotData.read(FewShotTask.MULTIPLE_CHOICE, good, bad, TaskColumns.automatic(), null, " "))
                .isInstanceOf(TaskDataException.class).hasMessage(bad + ":2: label '2' is not an option's index (0 to 1)");
        assertThatThrownBy(() -> FewShotData.read(FewShotTask.MULTIPLE_CHOICE, good, good, TaskColumns.automatic(), " yes, no", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--labels is for classification and entailment");
    }
}
