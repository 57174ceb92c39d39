package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gpt4j.tensor.Parallel;
import org.gpt4j.tensor.VectorIsa;
import org.junit.jupiter.api.Test;

/** The {@code bench peak} contract: its JSON keys and the ISA they were measured with (no timing is asserted). */
class BenchPeakCommandTest {

    @Test
    void printsTheIsaThePeakAndTheBandwidth() throws Exception {
        Cli.Result r = Cli.run("bench", "peak", "--array-mb", "4", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("isa").asText()).isEqualTo(VectorIsa.CURRENT.name());
        assertThat(n.get("vector_bits").asInt()).isEqualTo(VectorIsa.CURRENT.vectorBits());
        assertThat(n.get("cores").asInt()).isEqualTo(Parallel.threads());
        assertThat(n.get("peak_flops").asDouble()).isPositive();
        assertThat(n.get("one_core_peak_flops").asDouble()).isPositive();
        assertThat(n.get("bandwidth_bytes_per_second").asDouble()).isPositive();
        assertThat(n.get("read_bandwidth_bytes_per_second").asDouble()).isPositive();

        Cli.Result text = Cli.run("bench", "peak", "--array-mb", "4");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("GFLOP/s", "GB/s", "reading only", "(" + VectorIsa.CURRENT.describe() + ")");
    }

    @Test
    void refusesAnArraySizeOfZero() {
        Cli.Result r = Cli.run("bench", "peak", "--array-mb", "0");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--array-mb");
    }
}
