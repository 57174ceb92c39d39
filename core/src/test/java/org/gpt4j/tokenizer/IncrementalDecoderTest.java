package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming output never shows half a character. */
class IncrementalDecoderTest {

    @Test
    void chineseCharacterSplitOverByteTokensComesOutWholeOnce() {
        Tokenizer gpt2 = Tokenizers.gpt2();
        // "床" is E5 BA 8A: GPT-2 spells it as two tokens, 41753 (E5 BA) and 232 (8A).
        int[] ids = gpt2.encode("床前");
        assertThat(ids).startsWith(41753, 232);
        IncrementalDecoder decoder = gpt2.newIncrementalDecoder();
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(decoder.accept(id));
        }
        assertThat(pieces.get(0)).isEmpty();
        assertThat(pieces.get(1)).isEqualTo("床");
        assertThat(String.join("", pieces) + decoder.finish()).isEqualTo("床前");
    }

    @Test
    void anUnfinishedCharacterAtTheEndBecomesOneReplacement() {
        Tokenizer gpt2 = Tokenizers.gpt2();
        IncrementalDecoder decoder = gpt2.newIncrementalDecoder();
        assertThat(decoder.accept(41753)).isEmpty();
        assertThat(decoder.hasPending()).isTrue();
        assertThat(decoder.finish()).isEqualTo("\uFFFD");
        assertThat(gpt2.decode(new int[] {41753})).isEqualTo("\uFFFD");
    }

    @Test
    void tokenTextShowsStrayBytesAsHex() {
        Tokenizer gpt2 = Tokenizers.gpt2();
        assertThat(gpt2.tokenText(41753)).isEqualTo("\\xE5\\xBA");
        assertThat(gpt2.tokenText(11)).isEqualTo(",");
    }
}
