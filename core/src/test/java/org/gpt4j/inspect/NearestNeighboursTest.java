package org.gpt4j.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNeighboursTest {

    @Test
    void ranksRowsByCosineIgnoringLengthAndSkipsTheExcludedRow() {
        float[] table = {
            1, 0,     // 0: the query's own row
            10, 1,    // 1: nearly the same direction, much longer
            0, 1,     // 2: orthogonal
            -1, 0,    // 3: opposite
            0, 0,     // 4: zero
        };
        List<NearestNeighbours.Neighbour> top = NearestNeighbours.byCosine(table, 5, 2, table, 0, 3, 0);
        assertThat(top).extracting(NearestNeighbours.Neighbour::index).containsExactly(1, 2, 4);
        assertThat(top.get(0).cosine()).isCloseTo(10 / Math.sqrt(101), within(1e-6));
        assertThat(top.get(1).cosine()).isZero();
    }
}
