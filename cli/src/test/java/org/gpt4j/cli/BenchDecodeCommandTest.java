package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code bench decode} contract: its JSON keys, with each weight format (no timing is asserted). */
class BenchDecodeCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"f32", "bf16", "int8"})
    void printsPrefillAndDecodeFigures(String weights) throws Exception {
        Cli.Result r = Cli.run("bench", "decode", "--layers", "2", "--heads", "2", "--embd", "32", "--vocab", "50",
                "--context", "32", "--prompt", "8", "--new", "4", "--repeats", "1", "--weights", weights, "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("prefill_ms").asDouble()).isPositive();
        assertThat(n.get("decode_tokens_per_second").asDouble()).isPositive();
        Cli.Result text = Cli.run("bench", "decode", "--layers", "1", "--heads", "1", "--embd", "16", "--vocab", "20",
                "--context", "16", "--prompt", "4", "--new", "2", "--repeats", "1", "--weights", weights);
        assertThat(text.out()).contains(weights + " weights");
    }
}
