package org.gpt4j.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.gpt4j.tokenizer.CharTokenizer;
import org.junit.jupiter.api.Test;

/**
 * Prompt assembly and fitting the context, with one token per character so lengths are visible:
 * demonstrations go whole, leftmost first; a question too long alone loses its first tokens; a
 * content-free prompt keeps the demonstrations it is given.
 */
class PromptBuilderTest {

    private static final CharTokenizer CHARS = CharTokenizer.fromText("abcdefghijklmnopqrstuvwxyz :|/AN");
    private static final List<String> ANSWERS = List.of(" no", " yes");
    private static final List<FewShotExample> TRAIN = List.of(
            new FewShotExample(Map.of("text", "aaaa"), ANSWERS, 0, "t:2"),   // "aaaa: no|" = 9 tokens
            new FewShotExample(Map.of("text", "bb"), ANSWERS, 1, "t:3"),     // "bb: yes|" = 8 tokens
            new FewShotExample(Map.of("text", "c"), ANSWERS, 0, "t:4"));     // "c: no|" = 6 tokens

    private static PromptBuilder builder(int context) {
        return new PromptBuilder(CHARS, PromptTemplate.parse("{text}:"), "|", TRAIN, context);
    }

    private static String text(Prompt p) {
        return CHARS.decode(p.ids());
    }

    @Test
    void demonstrationsThenTheQuestionInOneString() {
        Prompt p = builder(64).build(new int[] {2, 0, 1}, "dd:", 4, true, "q:2");
        assertThat(text(p)).isEqualTo("c: no|aaaa: no|bb: yes|dd:");
        assertThat(p.demonstrations()).containsExactly(2, 0, 1);
        assertThat(p.dropped()).isZero();
        assertThat(p.cutTokens()).isZero();
    }

    @Test
    void wholeDemonstrationsAreDroppedLeftmostFirstToFit() {
        // 26 tokens of prompt + a 4-token answer needs 26 + 3 = 29 positions.
        assertThat(builder(29).build(new int[] {2, 0, 1}, "dd:", 4, true, "q").dropped()).isZero();
        Prompt p = builder(28).build(new int[] {2, 0, 1}, "dd:", 4, true, "q");
        assertThat(text(p)).isEqualTo("aaaa: no|bb: yes|dd:");
        assertThat(p.demonstrations()).containsExactly(0, 1);
        assertThat(p.dropped()).isEqualTo(1);
        Prompt q = builder(22).build(new int[] {2, 0, 1}, "dd:", 4, true, "q");
        assertThat(text(q)).isEqualTo("bb: yes|dd:");
        assertThat(q.dropped()).isEqualTo(2);
    }

    @Test
    void aQuestionTooLongAloneKeepsItsEnd() {
        Prompt p = builder(8).build(new int[] {0, 1}, "abcdefghij:", 4, true, "q");
        assertThat(p.dropped()).isEqualTo(2);
        assertThat(p.demonstrations()).isEmpty();
        // 8 positions, a 4-token answer: 5 for the prompt.
        assertThat(text(p)).isEqualTo("ghij:");
        assertThat(p.cutTokens()).isEqualTo(6);
    }

    @Test
    void aContentFreePromptKeepsItsDemonstrationsAndCutsInstead() {
        Prompt p = builder(22).build(new int[] {2, 0, 1}, "N/A:", 4, false, "q");
        assertThat(p.demonstrations()).containsExactly(2, 0, 1);
        assertThat(p.dropped()).isZero();
        assertThat(p.ids()).hasSize(22 - 3);
        assertThat(text(p)).endsWith("bb: yes|N/A:");
    }

    @Test
    void anAnswerLongerThanTheContextOrAnEmptyPromptIsAnError() {
        assertThatThrownBy(() -> builder(4).build(new int[0], "dd:", 5, true, "data.tsv:7"))
                .hasMessage("data.tsv:7: an answer of 5 tokens does not fit the context of 4 tokens");
        assertThatThrownBy(() -> builder(64).build(new int[0], "", 2, true, "data.tsv:7"))
                .hasMessageContaining("data.tsv:7: the prompt is empty");
        assertThatThrownBy(() -> builder(64).build(new int[0], "UPPER", 2, true, "data.tsv:7"))
                .hasMessageStartingWith("data.tsv:7: cannot tokenize the prompt");
    }
}
