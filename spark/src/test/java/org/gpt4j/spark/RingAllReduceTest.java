package org.gpt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ring on localhost, each replica a thread: sums, bit-identity, a neighbour that goes away. */
class RingAllReduceTest {

    @Test
    void everyReplicaEndsWithTheSameBitsEachSegmentSummedAlongTheRing() throws Exception {
        int size = 3;
        int n = 2 * RingAllReduce.CHUNK_FLOATS + 12_345; // segments of several chunks, not a multiple of 3
        SplittableRandom rng = new SplittableRandom(7);
        float[][] x = new float[size][n];
        for (float[] row : x) {
            for (int i = 0; i < n; i++) {
                row[i] = (float) rng.nextGaussian();
            }
        }
        float[][] original = new float[size][];
        for (int r = 0; r < size; r++) {
            original[r] = x[r].clone();
        }
        List<RingAllReduce> ring = LoopbackRing.join(size, 30_000);
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                int rank = r;
                done.add(pool.submit(() -> {
                    ring.get(rank).allReduce(x[rank], n);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
            for (RingAllReduce r : ring) {
                r.close();
            }
        }
        for (int r = 1; r < size; r++) {
            // Arrays.equals compares floats bit by bit (floatToIntBits).
            assertThat(java.util.Arrays.equals(x[r], x[0])).as("replica %d holds replica 0's bits", r).isTrue();
        }
        for (int i = 0; i < n; i++) {
            // Segment c starts at replica c and is added along the ring: (g_c + g_c+1) + g_c+2.
            int c = (int) ((long) i * size / n);
            while ((long) n * (c + 1) / size <= i) {
                c++;
            }
            float chain = original[c][i];
            for (int k = 1; k < size; k++) {
                chain = chain + original[(c + k) % size][i];
            }
            if (Float.floatToIntBits(chain) != Float.floatToIntBits(x[0][i])) {
                throw new AssertionError("element " + i + " (segment " + c + "): " + x[0][i] + ", the ring's chain gives " + chain);
            }
        }
        // Each replica sends 2(N - 1)/N of the array: N - 1 segments to reduce, N - 1 to gather.
        assertThat((double) ring.get(0).bytesSent()).isCloseTo(2.0 * (size - 1) / size * n * Float.BYTES,
                org.assertj.core.data.Offset.offset(2.0 * Float.BYTES * size));
    }

    @Test
    void aNeighbourThatGoesAwayFailsTheReplicaInsteadOfHangingIt() throws Exception {
        List<RingAllReduce> ring = LoopbackRing.join(2, 30_000);
        ring.get(1).close();
        float[] x = new float[1000];
        assertThatThrownBy(() -> ring.get(0).allReduce(x, x.length)).isInstanceOf(IOException.class);
        ring.get(0).close();
    }

    @Test
    void aSilentNeighbourTimesOut() throws Exception {
        List<RingAllReduce> ring = LoopbackRing.join(2, 500);
        float[] x = new float[10];
        try {
            assertThatThrownBy(() -> ring.get(0).allReduce(x, x.length)).isInstanceOf(IOException.class)
                    .hasMessageContaining("no data from replica 1");
        } finally {
            for (RingAllReduce r : ring) {
                r.close();
            }
        }
    }
}
