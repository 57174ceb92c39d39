package org.gpt4j.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.gpt4j.tensor.SoftmaxKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sampler draws from the filtered distribution: chi-square over many draws on a fixed logit
 * vector for each filter and a combination, and never a token a filter removed.
 */
class SamplerStatisticsTest {

    private static final int DRAWS = 20_000;

    static Stream<GenerationConfig> filters() {
        GenerationConfig.Builder b = GenerationConfig.builder().doSample(true).topK(0);
        return Stream.of(
                b.build(),
                GenerationConfig.builder().doSample(true).topK(0).temperature(0.7).build(),
                GenerationConfig.builder().doSample(true).topK(5).build(),
                GenerationConfig.builder().doSample(true).topK(0).topP(0.8).build(),
                GenerationConfig.builder().doSample(true).topK(0).minP(0.1).build(),
                GenerationConfig.builder().doSample(true).topK(0).typicalP(0.6).build(),
                GenerationConfig.builder().doSample(true).temperature(0.8).topK(10).topP(0.95).repetitionPenalty(1.1).build());
    }

    @ParameterizedTest
    @MethodSource("filters")
    void drawsFollowTheFilteredDistribution(GenerationConfig config) {
        double[] p = LogitsProcessorsTest.processed(config);
        float[] scores = logScores(p);
        Sampler sampler = Sampler.categorical(new SplittableRandom(2024));
        long[] counts = new long[p.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.choose(scores)]++;
        }
        double chi2 = 0;
        int bins = 0;
        double pooledExpected = 0;
        long pooledCount = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) {
                assertThat(counts[i]).as("draws of removed token " + i).isZero();
            } else if (p[i] * DRAWS < 5) {
                pooledExpected += p[i] * DRAWS;
                pooledCount += counts[i];
            } else {
                double e = p[i] * DRAWS;
                chi2 += (counts[i] - e) * (counts[i] - e) / e;
                bins++;
            }
        }
        if (pooledExpected > 0) {
            chi2 += (pooledCount - pooledExpected) * (pooledCount - pooledExpected) / pooledExpected;
            bins++;
        }
        assertThat(bins).isGreaterThan(1);
        assertThat(chi2).as("chi-square with " + (bins - 1) + " degrees of freedom").isLessThan(critical(bins - 1));
    }

    @Property(tries = 200)
    void topKNeverDrawsOutsideTheK(@ForAll @Size(min = 2, max = 300) float[] logits, @ForAll @IntRange(min = 1, max = 20) int k,
            @ForAll long seed) {
        float[] scores = clean(logits);
        new TopK(k).process(new int[0], 0, scores);
        Sampler sampler = Sampler.categorical(new SplittableRandom(seed));
        for (int d = 0; d < 50; d++) {
            int id = sampler.choose(scores);
            long higher = 0;
            float[] original = clean(logits);
            for (float s : original) {
                higher += s > original[id] ? 1 : 0;
            }
            assertThat(higher).as("tokens scoring above the drawn one").isLessThan(k);
        }
    }

    @Property(tries = 200)
    void topPDrawsOnlyFromTheNucleus(@ForAll @Size(min = 2, max = 300) float[] logits,
            @ForAll @DoubleRange(min = 0.01, max = 1.0) double topP, @ForAll long seed) {
        float[] original = clean(logits);
        double[] probs = new double[original.length];
        SoftmaxKernel.softmax(probs, original, 0, original.length);
        float[] scores = original.clone();
        new TopP(topP).process(new int[0], 0, scores);
        Sampler sampler = Sampler.categorical(new SplittableRandom(seed));
        for (int d = 0; d < 50; d++) {
            int id = sampler.choose(scores);
            // In the nucleus: the tokens more likely than it hold less than top_p together.
            double above = 0;
            for (int i = 0; i < probs.length; i++) {
                above += original[i] > original[id] ? probs[i] : 0;
            }
            assertThat(above).as("mass above the drawn token").isLessThan(topP + 1e-9);
        }
    }

    @Property(tries = 50)
    void oneSeedGivesOneDraw(@ForAll @Size(min = 2, max = 50) @FloatRangeDefault float[] logits, @ForAll long seed) {
        float[] scores = clean(logits);
        Sampler a = Sampler.categorical(new SplittableRandom(seed));
        Sampler b = Sampler.categorical(new SplittableRandom(seed));
        for (int d = 0; d < 20; d++) {
            assertThat(a.choose(scores)).isEqualTo(b.choose(scores));
        }
    }

    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE)
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @FloatRange(min = -20, max = 20)
    @interface FloatRangeDefault {
    }

    /** Logits in a sane range (jqwik also generates NaN and infinities, which no model emits). */
    private static float[] clean(float[] logits) {
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            float x = logits[i];
            out[i] = Float.isFinite(x) ? Math.max(-30f, Math.min(30f, x)) : 0f;
        }
        return out;
    }

    private static float[] logScores(double[] p) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] == 0 ? Float.NEGATIVE_INFINITY : (float) Math.log(p[i]);
        }
        return out;
    }

    /** The chi-square quantile at 1 - 0.001 (Wilson-Hilferty), so a correct sampler fails 1 in 1000 seeds. */
    private static double critical(int df) {
        double z = 3.090;
        double a = 2.0 / (9.0 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }
}
