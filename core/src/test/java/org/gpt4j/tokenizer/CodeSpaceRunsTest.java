package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A code tokenizer (Codex's whitespace tokens): every run of 2..32 spaces is one token, saved and loaded. */
class CodeSpaceRunsTest {

    private static final String CODE = """
            def area(width, height):
                if width < 0 or height < 0:
                    raise ValueError("negative")
                return width * height


            class Box:
                def __init__(self, w, h):
                    self.w = w
                    self.h = h

                def volume(self, depth):
                    for i in range(depth):
                        if i > 3:
                            print(i)
                    return self.w * self.h * depth
            """;

    private static BpeTokenizer train(List<byte[][]> first) {
        BpeTrainer trainer = new BpeTrainer();
        trainer.addText(CODE.repeat(3));
        return trainer.train(400, null, first);
    }

    @Test
    void everySpaceRunUpToTheLongestIsOneToken(@TempDir Path dir) throws Exception {
        BpeTokenizer code = train(BpeTrainer.spaceRunMerges(32));
        for (int k = 1; k <= 32; k++) {
            int[] ids = code.encode(" ".repeat(k));
            assertThat(ids).as("%d spaces", k).hasSize(1);
            assertThat(code.decode(ids)).isEqualTo(" ".repeat(k));
        }
        assertThat(code.encode(" ".repeat(40))).hasSize(2);
        // The files load back (and in Hugging Face tokenizers: they are ordinary merges) with the same ids.
        Tokenizers.save(code, dir);
        Tokenizer loaded = Tokenizers.load(dir);
        assertThat(loaded.encode(CODE)).containsExactly(code.encode(CODE));
        // Indentation deeper than the training text's is still one token; plain BPE learnt only what it saw.
        String deep = "if x:\n" + " ".repeat(24) + "return x\n";
        assertThat(code.encode(deep).length).isLessThan(train(List.of()).encode(deep).length);
    }

    @Test
    void theMergesFormRunsByDoublingThenTheRest() {
        List<byte[][]> merges = BpeTrainer.spaceRunMerges(8);
        assertThat(merges).hasSize(7); // 2, 4, 8 by doubling; 3, 5, 6, 7 as a power plus the rest
        assertThat(merges.get(0)[0]).hasSize(1);
        assertThat(merges.get(3)[0].length + merges.get(3)[1].length).isEqualTo(3);
        assertThatThrownBy(() -> BpeTrainer.spaceRunMerges(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BpeTrainer().train(260, null, BpeTrainer.spaceRunMerges(32)))
                .hasMessageContaining("no room");
    }
}
