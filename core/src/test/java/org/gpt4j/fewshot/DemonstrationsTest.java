package org.gpt4j.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpt4j.finetune.TaskColumns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed alone fixes the demonstrations; a question never sees itself; too few examples is a clear error. */
class DemonstrationsTest {

    @TempDir
    Path dir;

    private static List<FewShotExample> examples(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> new FewShotExample(Map.of("text", "example " + i), List.of(" no", " yes"), i % 2, "train:" + (i + 2)))
                .toList();
    }

    @Test
    void theSeedAloneFixesTheDemonstrationsAndTheirOrder() {
        List<FewShotExample> train = examples(50);
        FewShotExample q = new FewShotExample(Map.of("text", "a question"), List.of(" no", " yes"), 0, "data:2");
        int[] a = new Demonstrations(train, 8, 7).forExample(q);
        int[] b = new Demonstrations(train, 8, 7).forExample(q);
        int[] c = new Demonstrations(train, 8, 8).forExample(q);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(new HashSet<>(Arrays.stream(a).boxed().toList())).as("distinct").hasSize(8);
        // The same K for every question of a run (one prompt per seed), and the first K of a larger K.
        FewShotExample other = new FewShotExample(Map.of("text", "another"), List.of(" no", " yes"), 1, "data:3");
        assertThat(new Demonstrations(train, 8, 7).forExample(other)).containsExactly(a);
        assertThat(Arrays.copyOf(new Demonstrations(train, 12, 7).forExample(q), 8)).containsExactly(a);
        // A fixed draw, so that a change to it is a visible decision rather than an accident.
        assertThat(new Demonstrations(examples(10), 3, 1).forExample(q)).containsExactly(9, 0, 4);
    }

    @Test
    void scoringTheTrainingFileNeverShowsAQuestionItsOwnAnswer() throws IOException {
        Path f = Files.writeString(dir.resolve("train.tsv"), "sentence\tlabel\n"
                + "good film\tpos\nbad film\tneg\nfine cast\tpos\ndull plot\tneg\nwarm\tpos\n");
        FewShotData d = FewShotData.read(FewShotTask.CLASSIFICATION, f, f, TaskColumns.automatic(), null, " ");
        for (long seed = 0; seed < 20; seed++) {
            Demonstrations demos = new Demonstrations(d.train(), 4, seed);
            for (int i = 0; i < d.data().size(); i++) {
                int[] chosen = demos.forExample(d.data().get(i));
                assertThat(chosen).as("seed " + seed + ", example " + i).doesNotContain(i).hasSize(4);
            }
        }
        // With K = all 5 examples, the question itself would be needed: a clear error naming it.
        Demonstrations all = new Demonstrations(d.train(), 5, 1);
        assertThatThrownBy(() -> all.forExample(d.data().get(2)))
                .hasMessageContaining("train.tsv:4").hasMessageContaining("only 4 training examples differ").hasMessageContaining("--shots 5");
    }

    @Test
    void moreShotsThanTrainingExamplesIsAClearError() {
        assertThatThrownBy(() -> new Demonstrations(examples(3), 4, 1))
                .hasMessage("--shots 4 is more than the 3 training examples to draw demonstrations from");
        assertThatThrownBy(() -> new Demonstrations(examples(3), -1, 1)).hasMessageContaining("--shots must be >= 0");
        assertThat(new Demonstrations(examples(3), 0, 1).forExample(examples(1).get(0))).isEmpty();
    }

    @Test
    void aDuplicateOfTheQuestionInTheTrainingFileIsSkippedToo() {
        List<FewShotExample> train = new java.util.ArrayList<>(examples(4));
        FewShotExample q = new FewShotExample(Map.of("text", "example 2"), List.of(" no", " yes"), 1, "data:9");
        Set<Integer> seen = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            for (int i : new Demonstrations(train, 3, seed).forExample(q)) {
                seen.add(i);
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 3);
    }
}
