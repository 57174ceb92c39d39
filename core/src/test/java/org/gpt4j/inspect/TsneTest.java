package org.gpt4j.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TsneTest {

    private static final int CLUSTERS = 3;
    private static final int PER = 15;
    private static final int D = 8;

    /** Three tight, far-apart Gaussian clusters, interleaved so order gives nothing away. */
    private static float[] clusters(int[] label) {
        SplittableRandom rng = new SplittableRandom(3);
        int n = CLUSTERS * PER;
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            label[i] = i % CLUSTERS;
            for (int c = 0; c < D; c++) {
                double centre = c == label[i] ? 20 : 0;
                x[i * D + c] = (float) (centre + 0.5 * rng.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void wellSeparatedClustersStayApart() {
        int n = CLUSTERS * PER;
        int[] label = new int[n];
        double[] y = Tsne.embed(clusters(label), 0, n, D, new Tsne.Options(10, 400, 1));
        double maxWithin = 0;
        double minBetween = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dist = Math.hypot(y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
                if (label[i] == label[j]) {
                    maxWithin = Math.max(maxWithin, dist);
                } else {
                    minBetween = Math.min(minBetween, dist);
                }
            }
        }
        assertThat(minBetween).isGreaterThan(maxWithin);
    }

    @Test
    void theSameSeedGivesTheSameMapAndAnotherSeedAnother() {
        int n = CLUSTERS * PER;
        float[] x = clusters(new int[n]);
        double[] a = Tsne.embed(x, 0, n, D, new Tsne.Options(10, 100, 42));
        double[] b = Tsne.embed(x, 0, n, D, new Tsne.Options(10, 100, 42));
        double[] c = Tsne.embed(x, 0, n, D, new Tsne.Options(10, 100, 43));
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void fewPointsAndDuplicatesGiveFiniteCoordinates() {
        float[] x = {1, 1, 1, 1, 5, 5};
        double[] y = Tsne.embed(x, 0, 3, 2, Tsne.Options.defaults(1));
        assertThat(java.util.Arrays.stream(y).allMatch(Double::isFinite)).isTrue();
        assertThat(y).hasSize(6);
        assertThat(Tsne.embed(x, 0, 1, 2, Tsne.Options.defaults(1))).containsExactly(0, 0);
    }
}
