package org.gpt4j.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gpt4j.finetune.TaskColumns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates as typed on a command line: escapes, placeholders, literal braces, and the errors for a wrong one. */
class PromptTemplateTest {

    @TempDir
    Path dir;

    @Test
    void escapesAndPlaceholdersRenderAsTyped() {
        PromptTemplate t = PromptTemplate.parse("Review: {text}\\nSentiment:");
        assertThat(t.render(Map.of("text", "a fine film"))).isEqualTo("Review: a fine film\nSentiment:");
        assertThat(t.fields()).containsExactly("text");
        assertThat(t.renderContentFree()).isEqualTo("Review: N/A\nSentiment:");
        PromptTemplate pair = PromptTemplate.parse("{premise}\\tQ: {hypothesis} {{x}} { y } \\\\n {premise}");
        assertThat(pair.render(Map.of("premise", "P", "hypothesis", "H"))).isEqualTo("P\tQ: H {x} { y } \\n P");
        assertThat(pair.fields()).containsExactly("premise", "hypothesis");
        assertThat(PromptTemplate.unescape("a\\qb\\")).isEqualTo("a\\qb\\");
    }

    @Test
    void aTemplateWithoutAFieldOrEmptyIsAnError() {
        assertThatThrownBy(() -> PromptTemplate.parse("Sentiment:")).hasMessageContaining("has no {field}");
        assertThatThrownBy(() -> PromptTemplate.parse("")).hasMessageContaining("the template is empty");
    }

    @Test
    void aFieldTheDataDoesNotHaveIsNamedWithTheFieldsItHas() throws IOException {
        Path f = Files.writeString(dir.resolve("t.tsv"), "sentence\tlabel\ngood\tpos\nbad\tneg\n");
        FewShotData d = FewShotData.read(FewShotTask.CLASSIFICATION, f, f, TaskColumns.automatic(), null, " ");
        assertThatThrownBy(() -> d.requireFields(PromptTemplate.parse("Review: {review}\\nSentiment:")))
                .hasMessage("the template reads {review}, which classification data does not have; its fields are [{text}]");
        Path mc = Files.writeString(dir.resolve("mc.jsonl"), "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 0}\n"
                + "{\"context\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"label\": 1}\n");
        FewShotData m = FewShotData.read(FewShotTask.MULTIPLE_CHOICE, mc, mc, TaskColumns.automatic(), null, " ");
        assertThatThrownBy(() -> m.requireFields(PromptTemplate.parse("{premise} so")))
                .hasMessageStartingWith(mc + ":2: the template reads {premise}, which this example does not have");
    }
}
