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

    private static void assertCountMatchesBuffers(GptConfig config, int b, int t) {
        Gpt gpt = GptInit.randomGpt(config, 7);
        gpt.setTraining(true, 3);
        SplittableRandom rng = new SplittableRandom(11);
        int[] tokens = rng.ints(b * t, 0, config.vocabSize()).toArray();
        int[] targets = rng.ints(b * t, 0, config.vocabSize()).toArray();
        gpt.forward(tokens, targets, b, t);
        gpt.backward();
        assertThat(bufferFloats(gpt)).isEqualTo(ActivationFootprint.trainingFloats(config, b, t));
    }

    /** Every float array reachable from the model's own objects, parameters and gradients left out. */
    private static long bufferFloats(Gpt gpt) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Parameters p = gpt.parameters();
        for (ParameterSpec s : p.specs()) {
            seen.add(p.data(s.name()));
            seen.add(p.grad(s.name()));
        }
        long floats = 0;
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(gpt);
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
                    && !(o instanceof GptConfig)) {
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
