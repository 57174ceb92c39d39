package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gpt4j.tensor.VectorIsa;
import org.junit.jupiter.api.Test;

/** The {@code bench train} contract: its JSON keys, MFU against a measured or a given peak (no timing is asserted). */
class BenchTrainCommandTest {

    private static final String[] TINY = {"bench", "train", "--layers", "1", "--heads", "1", "--embd", "16",
        "--vocab", "20", "--context", "8", "--batch", "1", "--steps", "1", "--warmup", "0", "--json"};

    @Test
    void measuresThePeakThatMfuIsRelativeTo() throws Exception {
        JsonNode n = run();
        assertThat(n.get("tokens_per_second").asDouble()).isPositive();
        assertThat(n.get("ms_per_step").asDouble()).isPositive();
        assertThat(n.get("mfu").asDouble()).isPositive();
        assertThat(n.get("peak_flops").asDouble()).isPositive();
        assertThat(n.get("peak_source").asText()).isEqualTo("measured");
        assertThat(n.get("isa").asText()).isEqualTo(VectorIsa.CURRENT.name());
        assertThat(n.get("vector_bits").asInt()).isEqualTo(VectorIsa.CURRENT.vectorBits());
    }

    @Test
    void aGivenPeakIsUsedAsGiven() {
        Cli.Result text = Cli.run("bench", "train", "--layers", "1", "--heads", "1", "--embd", "16", "--vocab", "20",
                "--context", "8", "--batch", "1", "--steps", "1", "--warmup", "0", "--peak-flops", "1e9");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("of the given peak 1.0 GFLOP/s", "(" + VectorIsa.CURRENT.describe() + ")");
    }

    @Test
    void timesBertPreTrainingStepsOfTheSameShape() throws Exception {
        JsonNode n = run("--arch", "bert", "--peak-flops", "1e9");
        assertThat(n.get("tokens_per_second").asDouble()).isPositive();
        assertThat(n.get("mfu").asDouble()).isPositive();
        Cli.Result text = Cli.run("bench", "train", "--arch", "bert", "--layers", "1", "--heads", "1", "--embd", "16",
                "--vocab", "20", "--context", "8", "--batch", "1", "--steps", "1", "--warmup", "0", "--peak-flops", "1e9");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("train BERT 1 layers");
    }

    @Test
    void anUnknownArchitectureIsOneClearError() {
        Cli.Result r = Cli.run("bench", "train", "--arch", "t5", "--layers", "1", "--heads", "1", "--embd", "16");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--arch must be gpt or bert, got 't5'");
    }

    private static JsonNode run(String... extra) throws Exception {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(TINY), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }
}
