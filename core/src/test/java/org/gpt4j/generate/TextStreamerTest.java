package org.gpt4j.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;

/** Streamed text deltas never split a UTF-8 character and add up to the decoded text. */
class TextStreamerTest {

    @Test
    void deltasAreWholeCharactersAndAddUpToTheText() {
        Tokenizer gpt2 = Tokenizers.gpt2();
        String text = "naïve café 😀 世界 — done";
        int[] ids = gpt2.encode(text);
        List<String> deltas = new ArrayList<>();
        TextStreamer streamer = new TextStreamer(gpt2, gpt2.endOfTextId(), deltas::add);
        int heldBack = 0;
        for (int id : ids) {
            int before = deltas.size();
            streamer.onToken(0, id);
            heldBack += deltas.size() == before ? 1 : 0;
        }
        streamer.onEnd(0, FinishReason.LENGTH);
        assertThat(heldBack).as("byte tokens waiting for the rest of a character").isPositive();
        assertThat(String.join("", deltas)).isEqualTo(text);
        assertThat(deltas).noneMatch(d -> d.isEmpty() || d.contains("\uFFFD"));
    }

    @Test
    void endOfTextPrintsNothingAndEachSequenceStartsAfresh() {
        Tokenizer gpt2 = Tokenizers.gpt2();
        int eos = gpt2.endOfTextId().orElseThrow();
        int[] emoji = gpt2.encode("😀");
        List<String> deltas = new ArrayList<>();
        TextStreamer streamer = new TextStreamer(gpt2, OptionalInt.of(eos), deltas::add);
        streamer.onToken(0, gpt2.encode("Hi")[0]);
        streamer.onToken(0, eos);
        streamer.onEnd(0, FinishReason.EOS);
        streamer.onToken(1, emoji[0]); // half a character, then the sequence ends: U+FFFD, as decode gives
        streamer.onEnd(1, FinishReason.LENGTH);
        assertThat(deltas).containsExactly("Hi", "\uFFFD");
    }
}
