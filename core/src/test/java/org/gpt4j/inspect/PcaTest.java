package org.gpt4j.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcaTest {

    @Test
    void handCheckedCrossHasVariancesEightThirdsAndTwoThirds() {
        // Centred already; covariance diag(8/3, 2/3): 80% along x, 20% along y.
        float[] x = {2, 0, -2, 0, 0, 1, 0, -1};
        Pca pca = Pca.fit(x, 0, 4, 2, 2);
        assertThat(pca.explainedVarianceRatio()).containsExactly(new double[] {0.8, 0.2}, within(1e-12));
        assertThat(pca.components()).containsExactly(new double[] {1, 0, 0, 1}, within(1e-12));
        assertThat(pca.coordinates()).containsExactly(new double[] {2, 0, -2, 0, 0, 1, 0, -1}, within(1e-12));
    }

    @Test
    void rotatingAndShiftingThePointsRotatesTheComponentsOnly() {
        double r = Math.sqrt(0.5);
        float[] base = {2, 0, -2, 0, 0, 1, 0, -1};
        float[] moved = new float[8];
        for (int i = 0; i < 4; i++) {
            float a = base[2 * i];
            float b = base[2 * i + 1];
            moved[2 * i] = (float) (r * a - r * b + 5);
            moved[2 * i + 1] = (float) (r * a + r * b - 3);
        }
        Pca pca = Pca.fit(moved, 0, 4, 2, 2);
        assertThat(pca.explainedVarianceRatio()).containsExactly(new double[] {0.8, 0.2}, within(1e-6));
        assertThat(pca.components()[0]).isCloseTo(r, within(1e-6));
        assertThat(pca.components()[1]).isCloseTo(r, within(1e-6));
        assertThat(pca.coordinates()[0]).isCloseTo(2, within(1e-5));
        assertThat(pca.coordinates()[2]).isCloseTo(-2, within(1e-5));
        assertThat(Math.abs(pca.coordinates()[5])).isCloseTo(1, within(1e-5));
    }

    @Test
    void gramAndCovarianceRoutesAgree() {
        // 10 points in 3-D take the covariance route; padded with zero columns to 12-D they take
        // the Gram route (n <= d). The projections must not notice.
        SplittableRandom rng = new SplittableRandom(7);
        int n = 10;
        float[] small = new float[n * 3];
        float[] wide = new float[n * 12];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                small[i * 3 + c] = (float) (rng.nextGaussian() * (3 - c));
                wide[i * 12 + c * 4] = small[i * 3 + c];
            }
        }
        Pca a = Pca.fit(small, 0, n, 3, 2);
        Pca b = Pca.fit(wide, 0, n, 12, 2);
        assertThat(b.explainedVarianceRatio()).containsExactly(a.explainedVarianceRatio(), within(1e-9));
        assertThat(b.coordinates()).containsExactly(a.coordinates(), within(1e-5));
        double sum = a.explainedVarianceRatio()[0] + a.explainedVarianceRatio()[1];
        assertThat(sum).isLessThan(1).isGreaterThan(a.explainedVarianceRatio()[0]);
    }

    @Test
    void identicalPointsHaveNoVarianceAndSitAtTheOrigin() {
        float[] x = {1, 2, 3, 1, 2, 3, 1, 2, 3};
        Pca pca = Pca.fit(x, 0, 3, 3, 2);
        assertThat(pca.explainedVarianceRatio()).containsExactly(0, 0);
        assertThat(pca.coordinates()).containsOnly(0.0);
    }
}
