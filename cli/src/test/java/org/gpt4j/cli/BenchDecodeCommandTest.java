package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gpt4j.tensor.VectorIsa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code bench decode} contract: its JSON keys, with each weight format (no timing is asserted). */
class BenchDecodeCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"f32", "bf16", "int8"})
    void printsPrefillDecodeAndBandwidthFigures(String weights) throws Exception {
        Cli.Result r = Cli.run("bench", "decode", "--layers", "2", "--heads", "2", "--embd", "32", "--vocab", "50",
                "--context", "32", "--prompt", "8", "--new", "4", "--repeats", "1", "--weights", weights,
                "--bandwidth", "1e10", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("prefill_ms").asDouble()).isPositive();
        double tokensPerSecond = n.get("decode_tokens_per_second").asDouble();
        assertThat(tokensPerSecond).isPositive();
        // 2 blocks of 12 C^2 weights and wte's V x C, at 4, 2 or 1 byte (int8 adds 4 bytes per channel).
        long weightCount = 2 * 12 * 32 * 32 + 50 * 32;
        long bytes = n.get("weight_bytes_per_token").asLong();
        switch (weights) {
            case "f32" -> assertThat(bytes).isEqualTo(4 * weightCount);
            case "bf16" -> assertThat(bytes).isEqualTo(2 * weightCount);
            default -> assertThat(bytes).isEqualTo(weightCount + 4 * (2 * 9 * 32 + 50));
        }
        assertThat(n.get("bandwidth_source").asText()).isEqualTo("given");
        assertThat(n.get("bandwidth_bytes_per_second").asDouble()).isCloseTo(1e10, within(1.0));
        assertThat(n.get("bandwidth_utilisation").asDouble())
                .isCloseTo(bytes * tokensPerSecond / 1e10, within(1e-4 + 1e-3 * bytes * tokensPerSecond / 1e10));
        assertThat(n.get("isa").asText()).isEqualTo(VectorIsa.CURRENT.name());
        assertThat(n.get("vector_bits").asInt()).isEqualTo(VectorIsa.CURRENT.vectorBits());
        Cli.Result text = Cli.run("bench", "decode", "--layers", "1", "--heads", "1", "--embd", "16", "--vocab", "20",
                "--context", "16", "--prompt", "4", "--new", "2", "--repeats", "1", "--weights", weights,
                "--bandwidth", "1e10");
        assertThat(text.out()).contains(weights + " weights", "(" + VectorIsa.CURRENT.describe() + ")",
                "of the given bandwidth 10.0 GB/s");
    }

    @Test
    void measuresTheBandwidthByDefault() throws Exception {
        Cli.Result r = Cli.run("bench", "decode", "--layers", "1", "--heads", "1", "--embd", "16", "--vocab", "20",
                "--context", "16", "--prompt", "4", "--new", "2", "--repeats", "1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("bandwidth_source").asText()).isEqualTo("measured");
        assertThat(n.get("bandwidth_bytes_per_second").asDouble()).isPositive();
        assertThat(n.get("bandwidth_utilisation").asDouble()).isPositive();
    }
}
