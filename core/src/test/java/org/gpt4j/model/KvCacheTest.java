package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Incremental decoding through the cache gives the logits of full recomputation. */
class KvCacheTest {

    static Stream<GptConfig> variants() {
        GptConfig base = GptConfig.gpt2(3, 2, 16, 24, 30);
        return Stream.of(base,
                base.withLayerNorm(LayerNormPlacement.POST).withPositionalEncoding(PositionalEncoding.SINUSOIDAL),
                base.withPositionalEncoding(PositionalEncoding.NONE).withActivation(Activation.RELU));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void cachedLogitsEqualFullRecomputation(GptConfig config) {
        Gpt gpt = new Gpt(config, GptGradientCheckTest.noisyParameters(config, 11));
        int b = 2;
        int total = 12;
        int prompt = 5;
        int[][] seqs = new int[b][];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < b; i++) {
            seqs[i] = rng.ints(total, 0, config.vocabSize()).toArray();
        }
        KvCache cache = new KvCache(config, b, config.nPositions());
        ForwardResult prefill = gpt.forward(columns(seqs, 0, prompt), b, prompt, cache);
        float[] prefillLogits = prefill.logits().clone();
        assertThat(cache.length()).isEqualTo(prompt);
        assertThat(maxRelativeError(prefillLogits, lastPositionsOfFull(gpt, seqs, prompt, prompt)))
                .isLessThan(1e-5);

        for (int pos = prompt; pos < total; pos++) {
            float[] step = gpt.forward(columns(seqs, pos, pos + 1), b, 1, cache).logits().clone();
            float[] full = lastPositionsOfFull(gpt, seqs, pos + 1, 1);
            assertThat(maxRelativeError(step, full)).as("position " + pos).isLessThan(1e-5);
        }
        assertThat(cache.length()).isEqualTo(total);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void lastPositionLogitsEqualThoseOfTheFullCachedForward(GptConfig config) {
        Gpt gpt = new Gpt(config, GptGradientCheckTest.noisyParameters(config, 5));
        int[][] seqs = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}};
        KvCache full = new KvCache(config, 2, 16);
        KvCache last = new KvCache(config, 2, 16);
        int v = config.vocabSize();
        for (int[] step : new int[][] {columns(seqs, 0, 5), columns(seqs, 5, 6)}) {
            int t = step.length / 2;
            float[] all = gpt.forward(step, 2, t, full).logits().clone();
            ForwardResult r = gpt.forwardLast(step, 2, t, last);
            assertThat(r.length()).isEqualTo(1);
            for (int b = 0; b < 2; b++) {
                float[] expected = Arrays.copyOfRange(all, (b * t + t - 1) * v, (b * t + t) * v);
                float[] actual = Arrays.copyOfRange(r.logits(), b * v, (b + 1) * v);
                // Fewer rows take another path through the matrix product: equal up to rounding.
                assertThat(maxRelativeError(actual, expected)).isLessThan(1e-6);
            }
        }
        assertThat(last.length()).isEqualTo(full.length()).isEqualTo(6);
    }

    @Test
    void reorderedCacheContinuesTheChosenSequences() {
        GptConfig config = GptConfig.gpt2(2, 2, 8, 16, 20);
        Gpt gpt = new Gpt(config, GptGradientCheckTest.noisyParameters(config, 2));
        int[][] seqs = {{1, 2, 3, 4}, {5, 6, 7, 8}};
        KvCache cache = new KvCache(config, 2, 16);
        gpt.forward(columns(seqs, 0, 3), 2, 3, cache);
        cache.reorder(new int[] {1, 1});
        int[][] swapped = {{5, 6, 7, 9}, {5, 6, 7, 8}};
        float[] step = gpt.forward(new int[] {9, 8}, 2, 1, cache).logits().clone();
        float[] full = lastPositionsOfFull(gpt, swapped, 4, 1);
        assertThat(maxRelativeError(step, full)).isLessThan(1e-5);
    }

    @Test
    void overflowingTheCacheNamesTheContextWindow() {
        GptConfig config = GptConfig.gpt2(1, 1, 4, 4, 10);
        Gpt gpt = new Gpt(config, GptGradientCheckTest.noisyParameters(config, 2));
        KvCache cache = new KvCache(config, 1, 4);
        gpt.forward(new int[] {1, 2, 3}, 1, 3, cache);
        assertThatThrownBy(() -> gpt.forward(new int[] {4, 5}, 1, 2, cache))
                .hasMessageContaining("3 cached + 2 new tokens exceed").hasMessageContaining("n_positions = 4");
        assertThatThrownBy(gpt::trace).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = PositionalEncoding.class, names = {"LEARNED", "SINUSOIDAL"})
    void aGrowingCacheGivesTheBitsOfOneAllocatedForTheWholeWindow(PositionalEncoding positions) {
        GptConfig config = GptConfig.gpt2(2, 2, 16, 200, 30).withPositionalEncoding(positions);
        Gpt gpt = new Gpt(config, GptGradientCheckTest.noisyParameters(config, 9));
        KvCache full = new KvCache(config, 2, config.nPositions());
        KvCache growing = KvCache.growing(config, 2);
        assertThat(growing.capacity()).isEqualTo(KvCache.INITIAL_CAPACITY);
        int[][] seqs = new int[2][];
        SplittableRandom rng = new SplittableRandom(8);
        for (int i = 0; i < 2; i++) {
            seqs[i] = rng.ints(190, 0, config.vocabSize()).toArray();
        }
        // A prefill past the first capacity, then one token at a time across two more doublings.
        assertThat(gpt.forward(columns(seqs, 0, 70), 2, 70, growing).logits())
                .containsExactly(gpt.forward(columns(seqs, 0, 70), 2, 70, full).logits());
        for (int pos = 70; pos < 190; pos++) {
            float[] expected = gpt.forward(columns(seqs, pos, pos + 1), 2, 1, full).logits().clone();
            assertThat(gpt.forward(columns(seqs, pos, pos + 1), 2, 1, growing).logits()).as("position " + pos)
                    .containsExactly(expected);
        }
        assertThat(growing.capacity()).isEqualTo(config.nPositions());
        if (positions == PositionalEncoding.SINUSOIDAL) {
            // The sinusoids grew with the positions read: the values of the table computed at once.
            assertThat(Arrays.copyOf(gpt.positionTable(190), 190 * 16))
                    .containsExactly(Arrays.copyOf(Embedding.sinusoidTable(200, 16), 190 * 16));
        }
        assertThatThrownBy(() -> gpt.forward(columns(seqs, 0, 11), 2, 11, growing))
                .hasMessageContaining("190 cached + 11 new tokens exceed the cache's 200 positions");
    }

    /** Tokens [from, to) of every sequence, row-major [B, to-from]. */
    private static int[] columns(int[][] seqs, int from, int to) {
        return Arrays.stream(seqs).flatMapToInt(s -> Arrays.stream(s, from, to)).toArray();
    }

    /** Full forward over the first {@code upTo} tokens; logits of the last {@code last} positions. */
    private static float[] lastPositionsOfFull(Gpt gpt, int[][] seqs, int upTo, int last) {
        int b = seqs.length;
        int v = gpt.config().vocabSize();
        ForwardResult r = gpt.forward(columns(seqs, 0, upTo), b, upTo);
        float[] out = new float[b * last * v];
        for (int i = 0; i < b; i++) {
            System.arraycopy(r.logits(), (i * upTo + upTo - last) * v, out, i * last * v, last * v);
        }
        return out;
    }

    private static double maxRelativeError(float[] a, float[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }
}
