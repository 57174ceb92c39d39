package org.gpt4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The peak loops do the work they are counted for: what MFU and bandwidth utilisation divide by. */
class PeakKernelsTest {

    @Test
    void anFmaRoundIsTwoFlopsPerLaneOfEveryAccumulator() {
        assertThat(PeakKernels.lanes()).isEqualTo(VectorIsa.CURRENT.lanes());
        assertThat(PeakKernels.fmaFlops(1)).isEqualTo(2L * PeakKernels.ACCUMULATORS * VectorIsa.CURRENT.lanes());
        assertThat(PeakKernels.fmaFlops(1000)).isEqualTo(1000 * PeakKernels.fmaFlops(1));
    }

    @Test
    void fmaChainsRunsExactlyTheRoundsItIsAskedFor() {
        // Chain k holds start + k and converges to 1 slowly (0.1% a round), so one round more or
        // fewer moves the sum by 0.1% of its distance from 12 x lanes (here about 0.09% of the sum),
        // far above the rounding of the comparison.
        for (int rounds : new int[] {0, 1, 7, 100}) {
            double expected = model(rounds, 5f);
            assertThat((double) PeakKernels.fmaChains(rounds, 5f)).as("%d rounds", rounds)
                    .isCloseTo(expected, within(1e-5 * Math.abs(expected)));
            assertThat(Math.abs(model(rounds + 1, 5f) - expected)).isGreaterThan(5e-4 * Math.abs(expected));
        }
    }

    /** The sum over every chain and lane after {@code rounds} of {@code a = fma(a, m, c)}, in scalar code. */
    private static double model(int rounds, float start) {
        double sum = 0;
        for (int k = 0; k < PeakKernels.ACCUMULATORS; k++) {
            float a = start + k;
            for (int i = 0; i < rounds; i++) {
                a = Math.fma(a, PeakKernels.MULTIPLIER, PeakKernels.ADDEND);
            }
            sum += (double) a * PeakKernels.lanes();
        }
        return sum;
    }

    @Test
    void triadWritesBPlusSTimesCOverTheRangeOnly() {
        int n = 3 * PeakKernels.lanes() + 5;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(4L * n, 64);
            MemorySegment b = arena.allocate(4L * n, 64);
            MemorySegment c = arena.allocate(4L * n, 64);
            for (int i = 0; i < n; i++) {
                a.setAtIndex(ValueLayout.JAVA_FLOAT, i, -1f);
                b.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
                c.setAtIndex(ValueLayout.JAVA_FLOAT, i, 0.5f * i);
            }
            PeakKernels.triad(a, b, c, 3f, 2, n - 1);
            for (int i = 0; i < n; i++) {
                float expected = i < 2 || i >= n - 1 ? -1f : i + 3f * 0.5f * i;
                assertThat(a.getAtIndex(ValueLayout.JAVA_FLOAT, i)).as("a[%d]", i).isEqualTo(expected);
            }
        }
        assertThat(PeakKernels.TRIAD_BYTES_PER_ELEMENT).isEqualTo(12);
    }
}
