package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ActivationFootprint} counts exactly the floats a trained {@link Gpt} keeps: after a
 * training forward and backward, a walk over the model's objects sums every float array that is
 * not a parameter or a gradient (each array once, however many layers point at it), and the sum
 * must equal the count from the config. A layer that gains a buffer fails this until the count
 * knows it.
 */
class ActivationFootprintTest {

    @Test
    void countsEveryBufferOfAPreLnGptTrainedWithDropout() {
        assertCountMatchesBuffers(GptConfig.gpt2(3, 2, 16, 12, 29).withDropout(0.1), 3, 12);
    }

    @Test
    void countsEveryBufferOfAPostLnGptWithoutDropoutAndASequenceShorterThanTheContext() {
        assertCountMatchesBuffers(GptConfig.gpt2(2, 4, 24, 16, 41).withLayerNorm(LayerNormPlacement.POST), 2, 9);
    }

    @Test
    void growsWithTheSquareOfTheSequenceThroughAttention() {
        GptConfig c = GptConfig.gpt2(6, 8, 256, 512, 8192).withDropout(0.1);
        long at256 = ActivationFootprint.trainingFloats(c, 32, 256);
        long at512 = ActivationFootprint.trainingFloats(c, 32, 512);
        assertThat(at512).isGreaterThan(2 * at256);
        // py-small's shape at batch 32 x 512 with dropout: about 7.9 GB (6.0 GB without, which ran out of a 6 GB heap)
        assertThat(ActivationFootprint.trainingBytes(c, 32, 512)).isBetween(7_000_000_000L, 9_000_000_000L);
    }

    @Test
    void saturatesInsteadOfOverflowing() {
        GptConfig huge = GptConfig.gpt2(1_000_000, 64, 1 << 20, 1 << 20, 1 << 20);
        assertThat(ActivationFootprint.trainingFloats(huge, 1 << 20, 1 << 20)).isEqualTo(Long.MAX_VALUE);
        assertThat(ActivationFootprint.trainingBytes(huge, 1 << 20, 1 << 20)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> ActivationFootprint.trainingFloats(huge, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 x 4");
    }

    @Test
    void countsEveryBufferOfABertPreTrainingStepWithPaddingAndDropout() {
        BertConfig config = new BertConfig(37, 16, 2, 2, 40, 12, 2, 1e-12, Activation.GELU, 0.1);
        Bert bert = BertInit.randomBert(config, 5);
        bert.setTraining(true, 3);
        int b = 3;
        int t = 10;
        SplittableRandom rng = new SplittableRandom(13);
        int[] tokens = rng.ints(b * t, 0, config.vocabSize()).toArray();
        int[] types = new int[b * t];
        int[] mask = new int[b * t];
        int[] mlm = new int[b * t];
        java.util.Arrays.fill(mlm, Bert.IGNORE);
        int mlmPositions = 0;
        for (int i = 0; i < b * t; i++) {
            types[i] = i % t >= t / 2 ? 1 : 0;
            mask[i] = i % t < t - i / t ? 1 : 0; // pair i has i padding positions
            if (mask[i] == 1 && i % 3 == 0) {
                mlm[i] = rng.nextInt(config.vocabSize());
                mlmPositions++;
            }
        }
        bert.forward(new BertInput(b, t, tokens, types, mask), mlm, new int[] {0, 1, 1});
        bert.backward();
        assertThat(bufferFloats(bert, bert.parameters()))
                .isEqualTo(ActivationFootprint.bertTrainingFloats(config, b, t, mlmPositions));
        assertThat(ActivationFootprint.bertTrainingBytes(config, b, t, mlmPositions))
                .isEqualTo(4 * ActivationFootprint.bertTrainingFloats(config, b, t, mlmPositions));
        assertThatThrownBy(() -> ActivationFootprint.bertTrainingFloats(config, b, t, -1))
                .hasMessageContaining("masked-LM positions must be >= 0");
    }

    private static void assertCountMatchesBuffers(GptConfig config, int b, int t) {
        Gpt gpt = GptInit.randomGpt(config, 7);
        gpt.setTraining(true, 3);
        SplittableRandom rng = new SplittableRandom(11);
        int[] tokens = rng.ints(b * t, 0, config.vocabSize()).toArray();
        int[] targets = rng.ints(b * t, 0, config.vocabSize()).toArray();
        gpt.forward(tokens, targets, b, t);
        gpt.backward();
        assertThat(bufferFloats(gpt, gpt.parameters())).isEqualTo(ActivationFootprint.trainingFloats(config, b, t));
    }

    /** Every float array reachable from the model's own objects, parameters and gradients left out. */
    private static long bufferFloats(Object model, Parameters p) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParameterSpec s : p.specs()) {
            seen.add(p.data(s.name()));
            seen.add(p.grad(s.name()));
        }
        long floats = 0;
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(model);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (!seen.add(o)) {
                continue;
            }
            if (o instanceof float[] f) {
                floats += f.length;
            } else if (o instanceof Object[] array) {
                for (Object e : array) {
                    if (e != null) {
                        todo.push(e);
                    }
                }
            } else if (o.getClass().getPackageName().equals(Gpt.class.getPackageName()) && !(o instanceof Parameters)
                    && !(o instanceof GptConfig) && !(o instanceof BertConfig)) {
                for (Class<?> k = o.getClass(); k.getPackageName().equals(Gpt.class.getPackageName());
                        k = k.getSuperclass()) {
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                            continue;
                        }
                        f.setAccessible(true);
                        try {
                            Object v = f.get(o);
                            if (v != null) {
                                todo.push(v);
                            }
                        } catch (IllegalAccessException e) {
                            throw new AssertionError(e);
                        }
                    }
                }
            }
        }
        return floats;
    }
}
