package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gpt4j.tensor.WeightFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * A decoding step over sequences of different lengths, each in its own cache (a server's
 * continuous batch), gives every sequence the same bits as decoding it alone, at batch sizes on
 * both sides of where the matrix products change kernels.
 */
class GptDecodeTest {

    private static final GptConfig CONFIG = GptConfig.gpt2(2, 4, 64, 48, 97);

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void eachSequenceGetsTheBitsItGetsAlone(WeightFormat format) {
        Gpt gpt = new Gpt(CONFIG, GptGradientCheckTest.noisyParameters(CONFIG, 3)).withWeightFormat(format);
        int v = CONFIG.vocabSize();
        SplittableRandom rng = new SplittableRandom(9);
        for (int b : new int[] {2, 7, 8, 13}) {
            int[][] prompts = new int[b][];
            int[] next = new int[b];
            KvCache[] batched = new KvCache[b];
            for (int i = 0; i < b; i++) {
                prompts[i] = rng.ints(1 + rng.nextInt(20), 0, v).toArray();
                next[i] = rng.nextInt(v);
                batched[i] = prefilled(gpt, prompts[i]);
            }
            float[] together = gpt.decode(next, batched).logits().clone();
            for (int i = 0; i < b; i++) {
                float[] row = Arrays.copyOfRange(together, i * v, (i + 1) * v);
                float[] alone = Arrays.copyOf(gpt.decode(new int[] {next[i]}, new KvCache[] {prefilled(gpt, prompts[i])}).logits(), v);
                assertThat(row).as("sequence %d of %d, %s", i, b, format).containsExactly(alone);
                // The single-sequence cache path of generation sums in another order: equal up to rounding.
                KvCache cache = prefilled(gpt, prompts[i]);
                float[] generated = gpt.forwardLast(new int[] {next[i]}, 1, 1, cache).logits();
                for (int j = 0; j < v; j++) {
                    assertThat(row[j]).isCloseTo(generated[j], org.assertj.core.data.Offset.offset(1e-4f));
                }
                assertThat(batched[i].length()).isEqualTo(prompts[i].length + 1);
            }
        }
    }

    @Test
    void stepsContinueEachSequenceAsFullRecomputationDoes() {
        Gpt gpt = new Gpt(CONFIG, GptGradientCheckTest.noisyParameters(CONFIG, 5));
        int v = CONFIG.vocabSize();
        int[][] seqs = {{1, 2, 3, 4, 5, 6, 7, 8}, {9, 10, 11, 12, 13, 14, 15, 16}, {20, 21, 22, 23, 24, 25, 26, 27}};
        int[] promptLengths = {1, 3, 6};
        KvCache[] caches = new KvCache[3];
        for (int i = 0; i < 3; i++) {
            caches[i] = prefilled(gpt, Arrays.copyOf(seqs[i], promptLengths[i]));
        }
        for (int step = 0; step < 2; step++) {
            int[] tokens = new int[3];
            for (int i = 0; i < 3; i++) {
                tokens[i] = seqs[i][promptLengths[i] + step];
            }
            float[] logits = gpt.decode(tokens, caches).logits().clone();
            for (int i = 0; i < 3; i++) {
                int t = promptLengths[i] + step + 1;
                float[] full = gpt.forward(Arrays.copyOf(seqs[i], t), 1, t).logits();
                float[] expected = Arrays.copyOfRange(full, (t - 1) * v, t * v);
                float[] actual = Arrays.copyOfRange(logits, i * v, (i + 1) * v);
                for (int j = 0; j < v; j++) {
                    assertThat(actual[j]).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(5e-5f));
                }
            }
        }
    }

    @Test
    void refusesMismatchedSharedAndFullCaches() {
        Gpt gpt = new Gpt(CONFIG, GptGradientCheckTest.noisyParameters(CONFIG, 5));
        KvCache one = prefilled(gpt, new int[] {1, 2});
        assertThatThrownBy(() -> gpt.decode(new int[] {1, 2}, new KvCache[] {one}))
                .hasMessageContaining("2 tokens for 1 caches");
        assertThatThrownBy(() -> gpt.decode(new int[] {1, 2}, new KvCache[] {one, one}))
                .hasMessageContaining("twice");
        KvCache pair = new KvCache(CONFIG, 2, 8);
        assertThatThrownBy(() -> gpt.decode(new int[] {1}, new KvCache[] {pair}))
                .hasMessageContaining("holds 2 sequences");
        KvCache full = prefilled(gpt, new int[CONFIG.nPositions()]);
        assertThatThrownBy(() -> gpt.decode(new int[] {1}, new KvCache[] {full}))
                .hasMessageContaining("context window");
    }

    private static KvCache prefilled(Gpt gpt, int[] prompt) {
        KvCache cache = KvCache.growing(gpt.config(), 1);
        gpt.forwardLast(prompt, 1, prompt.length, cache);
        return cache;
    }
}
