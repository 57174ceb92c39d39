package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task TSVs in the shapes of ../shared/data (SST-2, RTE, TREC) are read by column name, labels
 * become ids, and every bad file is one error naming the file and the line.
 */
class TsvTaskReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void readsSst2ShapeWithIntegerLabelsAsIds() throws IOException {
        Path f = write("sst2.tsv", "sentence\tlabel\na fine film .\t1\n\ndull .\t0\n");
        TaskDataset d = TaskDataset.readTraining(f, TaskFormat.CLASSIFICATION, TaskColumns.automatic());
        assertThat(d.labels().names()).containsExactly("0", "1");
        assertThat(d.examples()).extracting(TaskExample::text).containsExactly("a fine film .", "dull .");
        assertThat(d.examples()).extracting(TaskExample::label).containsExactly(1, 0);
        assertThat(d.examples()).extracting(TaskExample::line).containsExactly(2L, 4L);
    }

    @Test
    void readsRteShapeWithNamedLabelsSorted() throws IOException {
        Path f = write("rte.tsv", "index\tsentence1\tsentence2\tlabel\n"
                + "1\tA \"quoted\" premise.\tA hypothesis.\tnot_entailment\n2\tP2\tH2\tentailment\n");
        TaskDataset d = TaskDataset.readTraining(f, TaskFormat.ENTAILMENT, TaskColumns.automatic());
        assertThat(d.labels().names()).containsExactly("entailment", "not_entailment");
        assertThat(d.examples().get(0).text()).isEqualTo("A \"quoted\" premise.");
        assertThat(d.examples().get(0).pair()).isEqualTo("A hypothesis.");
        assertThat(d.examples()).extracting(TaskExample::label).containsExactly(1, 0);
    }

    @Test
    void readsTrecShapeAndColumnOverrides() throws IOException {
        Path f = write("trec.tsv", "label\tlabel_name\ttext\n0\tDESC\tHow ?\n1\tENTY\tWhat ?\n");
        TaskDataset byId = TaskDataset.readTraining(f, TaskFormat.CLASSIFICATION, TaskColumns.automatic());
        assertThat(byId.labels().names()).containsExactly("0", "1");
        TaskDataset byName = TaskDataset.readTraining(f, TaskFormat.CLASSIFICATION, new TaskColumns(null, null, "label_name"));
        assertThat(byName.labels().names()).containsExactly("DESC", "ENTY");
        assertThat(byName.examples()).extracting(TaskExample::text).containsExactly("How ?", "What ?");
    }

    @Test
    void devLabelsAreReadAgainstTheTrainingMap() throws IOException {
        Path train = write("train.tsv", "text\tlabel\na\tpos\nb\tneg\n");
        Path dev = write("dev.tsv", "text\tlabel\nc\tneg\nd\tneutral\n");
        LabelMap labels = TaskDataset.readTraining(train, TaskFormat.CLASSIFICATION, TaskColumns.automatic()).labels();
        assertThatThrownBy(() -> TaskDataset.read(dev, TaskFormat.CLASSIFICATION, TaskColumns.automatic(), labels))
                .isInstanceOf(TaskDataException.class)
                .hasMessage(dev + ":3: label 'neutral' is not one of the task's labels [neg, pos]");
    }

    @Test
    void badFilesNameFileAndLine() throws IOException {
        expectError(write("empty.tsv", ""), ":1: empty file");
        expectError(write("header-only.tsv", "sentence\tlabel\n"), ": no examples after the header");
        expectError(write("no-label.tsv", "sentence\tscore\nx\t1\n"), ":1: no label column");
        expectError(write("short.tsv", "sentence\tlabel\nfine\t1\ntruncated row\n"), ":3: expected 2 tab-separated fields");
        expectError(write("empty-label.tsv", "sentence\tlabel\nfine\t1\nother\t \n"), ":3: empty label");
        expectError(write("empty-text.tsv", "sentence\tlabel\n\t1\n"), ":2: empty text in column 'sentence'");
        expectError(write("one-label.tsv", "sentence\tlabel\na\t1\nb\t1\n"), "at least 2 labels");
        Path latin1 = dir.resolve("latin1.tsv");
        Files.write(latin1, new byte[] {'t', 'e', 'x', 't', '\t', 'l', 'a', 'b', 'e', 'l', '\n', 'c', 'a', 'f', (byte) 0xE9, '\t', '1', '\n'});
        expectError(latin1, ": not valid UTF-8");
        expectError(dir.resolve("missing.tsv"), ": no such file");
        Path noPair = write("no-pair.tsv", "sentence1\tlabel\np\tentailment\n");
        assertThatThrownBy(() -> TaskDataset.readTraining(noPair, TaskFormat.ENTAILMENT, TaskColumns.automatic()))
                .hasMessageContaining(noPair + ":1: no second text column").hasMessageContaining("--text-pair-column");
    }

    private static void expectError(Path f, String expected) {
        assertThatThrownBy(() -> TaskDataset.readTraining(f, TaskFormat.CLASSIFICATION, TaskColumns.automatic()))
                .isInstanceOf(TaskDataException.class).hasMessageStartingWith(f.toString()).hasMessageContaining(expected);
    }
}
