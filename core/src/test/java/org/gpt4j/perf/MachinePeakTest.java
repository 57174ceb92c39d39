package org.gpt4j.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.gpt4j.tensor.VectorIsa;
import org.junit.jupiter.api.Test;

/** What a peak and a bandwidth count (never a timing). */
class MachinePeakTest {

    @Test
    void peakCountsTwelveFmasOfEveryLanePerRoundAsTwoFlopsEach() {
        int lanes = VectorIsa.CURRENT.lanes();
        // 8 items of 1000 rounds in one millisecond.
        assertThat(MachinePeak.flopsPerSecond(8, 1000, 1_000_000))
                .isCloseTo(8 * 1000 * 12 * lanes * 2 * 1e3, within(1.0));
    }

    @Test
    void triadCountsTwelveBytesPerElement() {
        assertThat(MachinePeak.triadBytesPerSecond(1_000_000, 1_000_000_000)).isCloseTo(12e6, within(1e-6));
    }

    @Test
    void measuresPositiveFiguresWithTheCurrentIsa() {
        MachinePeak.Result r = MachinePeak.measure(4L << 20);
        assertThat(r.isa()).isEqualTo(VectorIsa.CURRENT);
        assertThat(r.cores()).isPositive();
        assertThat(r.peakFlops()).isPositive();
        assertThat(r.oneCorePeakFlops()).isPositive();
        assertThat(r.bandwidthBytesPerSecond()).isPositive();
        assertThat(r.readBandwidthBytesPerSecond()).isPositive();
    }
}
