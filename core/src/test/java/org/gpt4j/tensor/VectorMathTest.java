package org.gpt4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    @Test
    void expIsWithinTwoUlpOfMathExpOverTheNormalRange() {
        var s = FloatVector.SPECIES_PREFERRED;
        float[] x = new float[s.length()];
        float[] y = new float[s.length()];
        double worst = 0;
        for (float start = -87f; start < 88f; start += 0.0137f * s.length()) {
            for (int i = 0; i < x.length; i++) {
                x[i] = start + 0.0137f * i;
            }
            VectorMath.exp(FloatVector.fromArray(s, x, 0)).intoArray(y, 0);
            for (int i = 0; i < x.length; i++) {
                double exact = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp((float) exact));
            }
        }
        assertThat(worst).isLessThanOrEqualTo(2.0);
        VectorMath.exp(FloatVector.broadcast(s, -1000f)).intoArray(y, 0);
        assertThat(y[0]).isBetween(0f, 1e-37f);
        VectorMath.exp(FloatVector.broadcast(s, 0f)).intoArray(y, 0);
        assertThat(y[0]).isEqualTo(1f);
    }

    @Test
    void tanhIsWithinTwoTenMillionthsAbsoluteAndSaturates() {
        var s = FloatVector.SPECIES_PREFERRED;
        float[] x = new float[s.length()];
        float[] y = new float[s.length()];
        double worst = 0;
        for (float start = -12f; start < 12f; start += 0.0011f * s.length()) {
            for (int i = 0; i < x.length; i++) {
                x[i] = start + 0.0011f * i;
            }
            VectorMath.tanh(FloatVector.fromArray(s, x, 0)).intoArray(y, 0);
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(y[i] - StrictMath.tanh(x[i])));
            }
        }
        assertThat(worst).isLessThan(2e-7);
        VectorMath.tanh(FloatVector.broadcast(s, 500f)).intoArray(y, 0);
        assertThat(y[0]).isEqualTo(1f);
        VectorMath.tanh(FloatVector.broadcast(s, -500f)).intoArray(y, 0);
        assertThat(y[0]).isEqualTo(-1f);
    }

    @Test
    void laneSumAddsInOneFixedOrder() {
        var s = FloatVector.SPECIES_PREFERRED;
        float[] x = new float[s.length()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 2 == 0 ? 1e8f : 1f) * (i + 1);
        }
        float sum = VectorMath.sum(FloatVector.fromArray(s, x, 0));
        // The pairwise tree the kernels rely on: lane i meets lane i ^ half at each level.
        float[] tree = x.clone();
        for (int half = x.length / 2; half >= 1; half /= 2) {
            float[] next = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                next[i] = tree[i] + tree[i ^ half];
            }
            tree = next;
        }
        assertThat(sum).isEqualTo(tree[0]);
    }
}
