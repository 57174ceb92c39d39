package org.gpt4j.finetune.instruct;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demonstration data: right answers, a seed that fixes everything, train and dev problems apart. */
class SyntheticTasksTest {

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\D+(\\d+)");
    private static final Pattern QUOTED = Pattern.compile("'([a-z]+)'");

    @Test
    void additionsAreRightAndAskedInSeveralPhrasings() {
        List<InstructionExample> examples = SyntheticTasks.generate(SyntheticTasks.Task.ARITHMETIC, SyntheticTasks.Split.TRAIN, 300, 4);
        Set<String> phrasings = new HashSet<>();
        for (InstructionExample e : examples) {
            Matcher m = NUMBERS.matcher(e.messages().getFirst().content());
            assertThat(m.find()).isTrue();
            int a = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(2));
            assertThat(a).isBetween(10, 99);
            assertThat(b).isBetween(10, 99);
            assertThat(e.response()).isEqualTo(Integer.toString(a + b));
            phrasings.add(e.messages().getFirst().content().replaceAll("\\d+", "N"));
        }
        assertThat(phrasings).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void reversalsAreRight() {
        for (InstructionExample e : SyntheticTasks.generate(SyntheticTasks.Task.REVERSE, SyntheticTasks.Split.DEV, 100, 9)) {
            Matcher m = QUOTED.matcher(e.messages().getFirst().content());
            assertThat(m.find()).isTrue();
            assertThat(e.response()).isEqualTo(new StringBuilder(m.group(1)).reverse().toString());
        }
    }

    @Test
    void oneSeedGivesOneFileAndTrainAndDevNeverShareAProblem() {
        var task = SyntheticTasks.Task.MIXED;
        assertThat(SyntheticTasks.generate(task, SyntheticTasks.Split.TRAIN, 200, 1))
                .isEqualTo(SyntheticTasks.generate(task, SyntheticTasks.Split.TRAIN, 200, 1))
                .isNotEqualTo(SyntheticTasks.generate(task, SyntheticTasks.Split.TRAIN, 200, 2));
        Set<String> train = problems(SyntheticTasks.generate(task, SyntheticTasks.Split.TRAIN, 3000, 1));
        Set<String> dev = problems(SyntheticTasks.generate(task, SyntheticTasks.Split.DEV, 500, 2));
        assertThat(dev).hasSizeGreaterThan(100);
        assertThat(train).doesNotContainAnyElementsOf(dev);
    }

    /** A problem without its phrasing: the two numbers, or the word. */
    private static Set<String> problems(List<InstructionExample> examples) {
        Set<String> out = new HashSet<>();
        for (InstructionExample e : examples) {
            String q = e.messages().getFirst().content();
            Matcher w = QUOTED.matcher(q);
            Matcher n = NUMBERS.matcher(q);
            out.add(w.find() ? w.group(1) : n.find() ? n.group(1) + "+" + n.group(2) : q);
        }
        return out;
    }
}
