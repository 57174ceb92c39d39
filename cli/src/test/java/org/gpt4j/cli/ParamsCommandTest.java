package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ParamsCommandTest {

    @Test
    void countsGpt3WithoutAllocatingIt() throws Exception {
        Cli.Result r = Cli.run("params", "--preset", "gpt3-175b", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("total").asLong()).isEqualTo(174_604_259_328L);
        assertThat(json.get("tensors").size()).isEqualTo(2 + 96 * 12 + 2);
    }

    @Test
    void gpt2SmallHasItsPublishedCount() throws Exception {
        Cli.Result r = Cli.run("params", "--layers", "12", "--heads", "12", "--embd", "768", "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("total").asLong()).isEqualTo(124_439_808L);
        JsonNode first = json.get("tensors").get(0);
        assertThat(first.get("name").asText()).isEqualTo("wte.weight");
        assertThat(first.get("shape").toString()).isEqualTo("[50257,768]");
        assertThat(first.get("count").asLong()).isEqualTo(50257L * 768);
    }

    @Test
    void sinusoidalPositionsHaveNoPositionTable() throws Exception {
        Cli.Result r = Cli.run("params", "--layers", "1", "--heads", "1", "--embd", "4", "--vocab", "10",
                "--positions", "sinusoidal", "--layer-norm", "post", "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.toString()).doesNotContain("wpe").doesNotContain("ln_f");
        // wte 40 + one block: ln_1 8, c_attn 48 + 12, c_proj 16 + 4, ln_2 8, c_fc 64 + 16, c_proj 64 + 4
        assertThat(json.get("total").asLong()).isEqualTo(40 + 244);
    }

    @Test
    void tableListsEveryTensorAndTheTotal() {
        Cli.Result r = Cli.run("params", "--preset", "gpt2");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("h.11.mlp.c_proj.weight").contains("124,439,808");
    }

    @Test
    void contradictoryShapeSourcesAreRejected() {
        Cli.Result r = Cli.run("params", "--preset", "gpt2", "--layers", "3");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: give only one of");
    }

    @Test
    void unknownPresetNamesTheChoices() {
        Cli.Result r = Cli.run("params", "--preset", "gpt5");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("unknown preset 'gpt5'").contains("gpt2-medium");
    }

    @Test
    void aBillionLayersAreCountedInConstantTime() throws Exception {
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run("params", "--layers", "1000000000", "--heads", "2", "--embd", "16", "--json");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        // wte 50257 x 16 + wpe 1024 x 16 + ln_f 32, and 3,280 per block.
        long perBlock = 2 * 16 + 16 * 48 + 48 + 16 * 16 + 16 + 2 * 16 + 16 * 64 + 64 + 64 * 16 + 16;
        assertThat(perBlock).isEqualTo(3280);
        assertThat(json.get("total").asLong()).isEqualTo(50257L * 16 + 1024 * 16 + 32 + 1_000_000_000L * perBlock);
        assertThat(json.get("tensors").size()).isEqualTo(2 + 12 + 2);
        assertThat(json.get("repeated_blocks").toString())
                .isEqualTo("{\"from\":1,\"to\":999999999,\"like\":\"h.0\",\"count\":" + 999_999_999L * perBlock + "}");
        Cli.Result table = Cli.run("params", "--layers", "1000000000", "--heads", "2", "--embd", "16");
        assertThat(table.out()).contains("h.1 .. h.999999999").contains("each like h.0").contains("3,280,000,820,528");
    }
}
