package org.gpt4j.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.gpt4j.finetune.instruct.ChatFormat;

/** A reply trimmed piece by piece, however it is cut, is the whole reply trimmed at once. */
class ReplyTrimmerTest {

    @Property(tries = 300)
    void streamedTrimmingEqualsWholeTrimming(@ForAll @Size(max = 8) List<@StringLength(max = 6)
            @CharRange(from = ' ', to = 'b') String> pieces) {
        ReplyTrimmer t = new ReplyTrimmer();
        StringBuilder streamed = new StringBuilder();
        StringBuilder whole = new StringBuilder();
        for (String p : pieces) {
            String piece = p.replace('!', '\n').replace('#', '\u00a0');
            streamed.append(t.accept(piece));
            whole.append(piece);
        }
        assertThat(streamed.toString()).isEqualTo(ChatFormat.strip(whole.toString()));
    }
}
