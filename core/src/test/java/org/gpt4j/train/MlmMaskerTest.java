package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.gpt4j.model.Bert;
import org.junit.jupiter.api.Test;

/**
 * BERT's masking rule, measured over 200,000 tokens: 15% chosen, of those 80% [MASK], 10% a
 * random token, 10% kept, each chosen token its own label; special tokens and padding never
 * chosen; the same seed and step give the same masks, another step other masks.
 */
class MlmMaskerTest {

    private static final int V = 1000;
    private static final int PAD = 0;
    private static final int CLS = 1;
    private static final int SEP = 2;
    private static final int MASK = 3;

    @Test
    void fifteenPercentChosenThenEightyTenTen() {
        int n = 200_000;
        int[] original = new SplittableRandom(1).ints(n, 0, V).toArray();
        int[] attention = new int[n];
        for (int i = 0; i < n; i++) {
            attention[i] = i % 10 == 9 ? 0 : 1;
        }
        int[] tokens = original.clone();
        int[] labels = new MlmMasker(MASK, V, new int[] {PAD, CLS, SEP}, 0.15, 42).mask(tokens, attention, 7);
        int eligible = 0;
        int chosen = 0;
        int masked = 0;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            boolean special = original[i] <= MASK || attention[i] == 0;
            eligible += special ? 0 : 1;
            if (labels[i] == Bert.IGNORE) {
                assertThat(tokens[i]).as("position %d not chosen is unchanged", i).isEqualTo(original[i]);
                continue;
            }
            assertThat(special).as("special token or padding chosen at %d", i).isFalse();
            assertThat(labels[i]).isEqualTo(original[i]);
            chosen++;
            masked += tokens[i] == MASK ? 1 : 0;
            kept += tokens[i] == original[i] ? 1 : 0;
        }
        double share = (double) chosen / eligible;
        assertThat(share).isCloseTo(0.15, offset(0.004));
        assertThat((double) masked / chosen).isCloseTo(0.8, offset(0.01));
        // a random replacement equals the original 1 time in V: "kept" is 10% + 0.1% x 10%
        assertThat((double) kept / chosen).isCloseTo(0.1, offset(0.01));
        assertThat((double) (chosen - masked - kept) / chosen).isCloseTo(0.1, offset(0.01));
    }

    @Test
    void theSameSeedAndStepMaskAlikeAnotherStepDoesNot() {
        int[] original = new SplittableRandom(2).ints(4096, 4, V).toArray();
        MlmMasker masker = new MlmMasker(MASK, V, new int[] {PAD, CLS, SEP}, 0.15, 9);
        int[] a = original.clone();
        int[] b = original.clone();
        int[] c = original.clone();
        int[] la = masker.mask(a, null, 3);
        int[] lb = new MlmMasker(MASK, V, new int[] {PAD, CLS, SEP}, 0.15, 9).mask(b, null, 3);
        int[] lc = masker.mask(c, null, 4);
        assertThat(a).isEqualTo(b);
        assertThat(la).isEqualTo(lb);
        assertThat(lc).isNotEqualTo(la);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new MlmMasker(V, V, new int[0], 0.15, 1)).hasMessageContaining("[MASK] id 1000");
        assertThatThrownBy(() -> new MlmMasker(MASK, V, new int[] {-1}, 0.15, 1)).hasMessageContaining("special token id -1");
        assertThatThrownBy(() -> new MlmMasker(MASK, V, new int[0], 1.0, 1)).hasMessageContaining("masking probability");
        MlmMasker m = new MlmMasker(MASK, V, new int[0], 0.15, 1);
        assertThatThrownBy(() -> m.mask(new int[] {5, V}, null, 0)).hasMessageContaining("token id 1000 at position 1");
    }
}
