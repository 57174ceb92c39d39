package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON Lines task files in the shapes of COPA / XCOPA (premise, question, choice1..N, label), of
 * multiple-choice sets with a {@code choices} array, and of classification and pair sets; and
 * every bad file (malformed, truncated, oversized, a wrong type, a missing field, an option count
 * that changes, an unknown label) as one error naming the file and the line. The rows here are
 * made up in COPA's shape.
 */
class JsonlTaskReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static final String COPA = """
            {"premise": "The glass fell off the table.", "choice1": "It shattered.", "choice2": "It sang.", "question": "effect", "label": 0, "idx": 0, "changed": false}

            {"premise": "The road was wet.", "choice1": "The sun shone.", "choice2": "It had rained.", "question": "cause", "label": 1, "idx": 1}
            """;

    @Test
    void readsCopaShapeWithTheQuestionAfterThePremise() throws IOException {
        TaskDataset d = TaskDataset.readTraining(write("copa.jsonl", COPA), TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic());
        assertThat(d.labels().names()).containsExactly("0", "1");
        assertThat(d.examples()).extracting(TaskExample::text).containsExactly(
                "The glass fell off the table. What happened as a result?", "The road was wet. What was the cause of this?");
        assertThat(d.examples().get(1).choices()).containsExactly("The sun shone.", "It had rained.");
        assertThat(d.examples().get(1).second()).isEqualTo(d.examples().get(1).choices());
        assertThat(d.examples()).extracting(TaskExample::label).containsExactly(0, 1);
        assertThat(d.examples()).extracting(TaskExample::line).containsExactly(1L, 3L);
        assertThat(d.examples()).extracting(TaskExample::pair).containsOnlyNulls();
    }

    @Test
    void rowsKeepTheObjectsStringAndNumberFieldsAsWritten() throws IOException {
        List<TaskRow> rows = JsonlTaskReader.read(write("copa.jsonl", COPA), TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic());
        assertThat(rows.get(0).fields()).containsEntry("premise", "The glass fell off the table.")
                .containsEntry("question", "effect").containsEntry("choice2", "It sang.").containsEntry("label", "0")
                .containsEntry("idx", "0").doesNotContainKey("changed");
        assertThat(rows.get(1).line()).isEqualTo(3);
        List<TaskRow> cls = JsonlTaskReader.read(write("sst.jsonl", "{\"sentence\": \" a fine film \", \"label\": 1, \"tags\": [\"x\"]}\n"),
                TaskFormat.CLASSIFICATION, TaskColumns.automatic());
        assertThat(cls.get(0).fields()).containsOnly(Map.entry("sentence", " a fine film "), Map.entry("label", "1"));
    }

    @Test
    void questionWordsCanBeRephrasedAndFreeTextQuestionsAreAddedAsWritten() throws IOException {
        Path f = write("mc.jsonl", """
                {"context": "A box of tools.", "question": "Which one cuts?", "choices": ["a hammer", "a saw", "a level"], "label": 1}
                {"premise": "路是湿的。", "question": "cause", "choices": ["出太阳了。", "下过雨。", "刮风了。"], "label": "1"}
                """);
        TaskColumns zh = new TaskColumns(null, null, null, TaskColumns.questionsWith(Map.of("cause", "原因是什么？")));
        TaskDataset d = TaskDataset.readTraining(f, TaskFormat.MULTIPLE_CHOICE, zh);
        assertThat(d.labels().size()).isEqualTo(3);
        assertThat(d.examples()).extracting(TaskExample::text).containsExactly("A box of tools. Which one cuts?", "路是湿的。 原因是什么？");
        assertThat(d.examples()).extracting(TaskExample::label).containsExactly(1, 1);
        assertThat(zh.questions()).containsEntry("effect", "What happened as a result?");
    }

    @Test
    void readsClassificationAndPairFieldsWithNamedOrIntegerLabels() throws IOException {
        Path cls = write("sst.jsonl", "{\"sentence\": \" a fine film \", \"label\": 1}\n{\"sentence\": \"dull\", \"label\": 0}\n");
        TaskDataset c = TaskDataset.readTraining(cls, TaskFormat.CLASSIFICATION, TaskColumns.automatic());
        assertThat(c.labels().names()).containsExactly("0", "1");
        assertThat(c.examples()).extracting(TaskExample::text).containsExactly("a fine film", "dull");
        assertThat(c.examples()).extracting(TaskExample::label).containsExactly(1, 0);

        Path pairs = write("rte.jsonl", """
                {"sentence1": "P1", "sentence2": "H1", "label": "not_entailment"}
                {"sentence1": "P2", "sentence2": "H2", "label": "entailment"}
                """);
        for (TaskFormat f : List.of(TaskFormat.ENTAILMENT, TaskFormat.SIMILARITY)) {
            TaskDataset p = TaskDataset.readTraining(pairs, f, TaskColumns.automatic());
            assertThat(p.labels().names()).containsExactly("entailment", "not_entailment");
            assertThat(p.examples()).extracting(TaskExample::pair).containsExactly("H1", "H2");
            assertThat(p.examples().get(0).second()).containsExactly("H1");
        }
        Path custom = write("custom.jsonl", "{\"q\": \"How ?\", \"coarse\": \"DESC\"}\n{\"q\": \"Who ?\", \"coarse\": \"HUM\"}\n");
        TaskDataset t = TaskDataset.readTraining(custom, TaskFormat.CLASSIFICATION, new TaskColumns("q", null, "coarse"));
        assertThat(t.labels().names()).containsExactly("DESC", "HUM");
    }

    @Test
    void devFilesAreReadAgainstTheTrainingLabelsAndOptionCount() throws IOException {
        LabelMap two = TaskDataset.readTraining(write("train.jsonl", COPA), TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic())
                .labels();
        Path three = write("three.jsonl", "{\"premise\": \"p\", \"choices\": [\"a\", \"b\", \"c\"], \"label\": 0}\n");
        assertThatThrownBy(() -> TaskDataset.read(three, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic(), two))
                .isInstanceOf(TaskDataException.class)
                .hasMessage(three + ":1: has 3 options, but the task has 2 (as its training file)");
        Path outOfRange = write("range.jsonl", "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 2}\n");
        assertThatThrownBy(() -> TaskDataset.read(outOfRange, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic(), two))
                .hasMessage(outOfRange + ":1: label '2' is not an option's index (0 to 1)");
        Path unknown = write("unknown.jsonl", "{\"text\": \"x\", \"label\": \"pos\"}\n{\"text\": \"y\", \"label\": \"meh\"}\n");
        assertThatThrownBy(() -> TaskDataset.read(unknown, TaskFormat.CLASSIFICATION, TaskColumns.automatic(),
                new LabelMap(List.of("neg", "pos"))))
                .hasMessage(unknown + ":2: label 'meh' is not one of the task's labels [neg, pos]");
    }

    @Test
    void badRowsNameFileLineAndProblem() throws IOException {
        String ok = "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0}\n";
        expectError("{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0\n", ":1: not valid JSON");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\"", ":2: not valid JSON");
        expectError(ok + "[1, 2]\n", ":2: expected a JSON object, found array");
        expectError(ok + "\"text\"\n", ":2: expected a JSON object, found string");
        expectError(ok + ok.strip() + " {}\n", ":2: not valid JSON");
        expectError(ok + "{\"premise\": \"p\", \"premise\": \"q\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0}\n",
                ":2: not valid JSON (Duplicate field 'premise')");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\"}\n", ":2: missing field 'label' (the label)");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": true}\n",
                ":2: field 'label' (the label) must be a string or an integer, found boolean");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0.5}\n",
                ":2: field 'label' (the label) must be a string or an integer, found number 0.5");
        expectError(ok + "{\"premise\": 7, \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0}\n",
                ":2: field 'premise' must be a string, found number");
        expectError(ok + "{\"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0}\n", ":2: no context");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \" \", \"label\": 0}\n",
                ":2: empty text in field 'choice2'");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"choice3\": \"c\", \"label\": 0}\n",
                ":2: has 3 options, but the file's first example (line 1) has 2");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 2}\n",
                ":2: label '2' is not an option's index (0 to 1)");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": -1}\n",
                ":2: label '-1' is not an option's index");
        expectError(ok + "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 99999999999}\n",
                ":2: label '99999999999' is not an option's index");
        expectError("{\"premise\": \"p\", \"choice1\": \"a\", \"label\": 0}\n", ":1: expected at least 2 options");
        expectError("{\"premise\": \"p\", \"choices\": \"a b\", \"label\": 0}\n", ":1: field 'choices' must be an array of strings");
        expectError("{\"premise\": \"p\", \"choices\": [\"a\", 2], \"label\": 0}\n", ":1: option 1 of 'choices' must be a non-empty string");
        expectError("{\"premise\": \"p\", \"choices\": [\"a\", \"b\"], \"choice1\": \"a\", \"label\": 0}\n", ":1: both 'choices' and 'choice1'");
        expectError("", ": no examples");
        expectError("\n  \n", ": no examples");
        expectError(ok + "{\"premise\": \"" + "x".repeat(JsonlTaskReader.MAX_LINE_BYTES) + "\"}\n",
                ":2: line longer than " + JsonlTaskReader.MAX_LINE_BYTES + " bytes");
        Path latin1 = dir.resolve("latin1.jsonl");
        Files.write(latin1, (ok + "{\"premise\": \"caf\u00e9\"}\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> TaskDataset.readTraining(latin1, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic()))
                .isInstanceOf(TaskDataException.class).hasMessage(latin1 + ":2: not valid UTF-8");
        Path missing = dir.resolve("missing.jsonl");
        assertThatThrownBy(() -> TaskDataset.readTraining(missing, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic()))
                .isInstanceOf(TaskDataException.class).hasMessage(missing + ": no such file");
        Path nested = write("nested.jsonl", "{\"premise\": " + "[".repeat(5000) + "]".repeat(5000) + "}\n");
        assertThatThrownBy(() -> TaskDataset.readTraining(nested, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic()))
                .isInstanceOf(TaskDataException.class).hasMessageStartingWith(nested + ":1: ");
    }

    @Test
    void pairAndClassificationRowsNeedTheirFields() throws IOException {
        Path noPair = write("nopair.jsonl", "{\"sentence1\": \"p\", \"label\": 0}\n");
        assertThatThrownBy(() -> TaskDataset.readTraining(noPair, TaskFormat.SIMILARITY, TaskColumns.automatic()))
                .hasMessage(noPair + ":1: no second text field: expected one of [sentence2, hypothesis, text_b] (or name it with"
                        + " --text-pair-column)");
        Path noText = write("notext.jsonl", "{\"review\": \"p\", \"label\": 0}\n");
        assertThatThrownBy(() -> TaskDataset.readTraining(noText, TaskFormat.CLASSIFICATION, TaskColumns.automatic()))
                .hasMessageStartingWith(noText + ":1: no text field");
        Path chosen = write("chosen.jsonl", "{\"text\": \"p\", \"label\": 0}\n");
        assertThatThrownBy(() -> TaskDataset.readTraining(chosen, TaskFormat.CLASSIFICATION, new TaskColumns("review", null, null)))
                .hasMessage(chosen + ":1: missing field 'review'");
    }

    @Test
    void multipleChoiceNeedsJsonLinesAndTsvStaysTsv() throws IOException {
        Path tsv = write("copa.tsv", "premise\tchoice1\tchoice2\tlabel\np\ta\tb\t0\n");
        assertThatThrownBy(() -> TaskDataset.readTraining(tsv, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic()))
                .isInstanceOf(TaskDataException.class).hasMessageContaining("must be JSON Lines");
        assertThat(TaskDataset.isJsonLines(Path.of("a/b.JSONL"))).isTrue();
        assertThat(TaskDataset.isJsonLines(Path.of("a/b.jsonl.tsv"))).isFalse();
    }

    private void expectError(String content, String expected) throws IOException {
        Path f = write("bad.jsonl", content);
        assertThatThrownBy(() -> TaskDataset.readTraining(f, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic()))
                .isInstanceOf(TaskDataException.class).hasMessageStartingWith(f.toString()).hasMessageContaining(expected);
    }
}
