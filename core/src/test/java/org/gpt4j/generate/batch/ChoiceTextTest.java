package org.gpt4j.generate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/** Streamed text never shows a stop string or the start of one that turns out to be one. */
class ChoiceTextTest {

    private static final Tokenizer T = CharTokenizer.fromText("abcdefgh\n:XY");

    private static List<String> stream(String text, List<String> stops) {
        ChoiceText choice = new ChoiceText(T, stops);
        List<String> out = new ArrayList<>();
        for (int id : T.encode(text)) {
            out.add(choice.accept(id));
            if (choice.stopped()) {
                return out;
            }
        }
        out.add(choice.finish());
        return out;
    }

    @Test
    void textEndsBeforeTheFirstStopString() {
        assertThat(String.join("", stream("abc\nX:def", List.of("\nX:")))).isEqualTo("abc");
        assertThat(String.join("", stream("abcdef", List.of("e", "cd")))).isEqualTo("ab");
    }

    @Test
    void aPossibleStartOfAStopStringIsHeldUntilSettled() {
        List<String> deltas = stream("ab\nXc", List.of("\nX:"));
        // "\n" and "\nX" are held; once "c" shows they are not a stop string, all of it comes out.
        assertThat(deltas).containsExactly("a", "b", "", "", "\nXc", "");
    }

    @Test
    void withoutStopsEveryCharacterComesAtOnce() {
        assertThat(stream("abc", List.of())).containsExactly("a", "b", "c", "");
    }

    @Test
    void heldTextComesOutAtTheEnd() {
        assertThat(String.join("", stream("ab\nX", List.of("\nX:")))).isEqualTo("ab\nX");
    }
}
