package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code init} and {@code inspect} command contract that outside checks rely on. */
class InitAndInspectCommandTest {

    @TempDir
    Path tmp;

    private Path init(String... extra) {
        Path dir = tmp.resolve("model");
        String[] base = {"init", "--layers", "2", "--heads", "2", "--embd", "8", "--vocab", "20", "--context", "16",
            "--seed", "5", "--out", dir.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return dir;
    }

    @Test
    void inspectJsonHasEveryFieldInItsShape() throws Exception {
        Path dir = init();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--tokens", "5,17,3", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("tokens").toString()).isEqualTo("[5,17,3]");
        assertThat(json.get("logits").size()).isEqualTo(3);
        assertThat(json.get("logits").get(0).size()).isEqualTo(20);
        assertThat(json.get("loss").isNumber()).isTrue();
        JsonNode att = json.get("attentions");
        assertThat(att.size()).isEqualTo(2);
        assertThat(att.get(0).size()).isEqualTo(2);
        assertThat(att.get(0).get(0).size()).isEqualTo(3);
        assertThat(att.get(1).get(1).get(2).size()).isEqualTo(3);
        // Causal: the first position attends only to itself.
        assertThat(att.get(0).get(1).get(0).get(0).asDouble()).isEqualTo(1.0);
        assertThat(att.get(0).get(1).get(0).get(2).asDouble()).isEqualTo(0.0);
        JsonNode hidden = json.get("hidden_states");
        assertThat(hidden.size()).isEqualTo(3);
        assertThat(hidden.get(2).size()).isEqualTo(3);
        assertThat(hidden.get(2).get(0).size()).isEqualTo(8);
        // At GPT-2 initialisation every logit is near 0, so the loss is near ln V.
        assertThat(json.get("loss").asDouble()).isCloseTo(Math.log(20), org.assertj.core.data.Offset.offset(0.15));
    }

    @Test
    void gpt2SizedVocabularyGetsGpt2TokenizerSoTextWorks() throws Exception {
        Path dir = tmp.resolve("gpt2vocab");
        Cli.Result init = Cli.run("init", "--layers", "1", "--heads", "1", "--embd", "4", "--context", "8",
                "--out", dir.toString());
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(dir.resolve("vocab.json")).exists();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--text", "Hello world", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("tokens").toString()).isEqualTo("[15496,995]");
    }

    @Test
    void textNeedsATokenizer() {
        Path dir = init();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--text", "hi");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("holds no tokenizer").contains("--tokens");
    }

    @Test
    void lossIsNullForOneToken() throws Exception {
        Path dir = init();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--tokens", "7", "--json");
        assertThat(new ObjectMapper().readTree(r.out()).get("loss").isNull()).isTrue();
    }

    @Test
    void sameSeedGivesTheSameWeights() throws Exception {
        Path a = init();
        Path b = tmp.resolve("again");
        Cli.run("init", "--layers", "2", "--heads", "2", "--embd", "8", "--vocab", "20", "--context", "16",
                "--seed", "5", "--out", b.toString());
        assertThat(Files.readAllBytes(b.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(a.resolve("model.safetensors")));
    }

    @Test
    void readableSummaryShowsShapesAndTopTokens() {
        Path dir = init();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--tokens", "1,2,3,4");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("attentions [2][2][4][4]").contains("next token after").contains("%");
    }

    @Test
    void initRefusesToOverwriteAModel() {
        Path dir = init();
        Cli.Result r = Cli.run("init", "--layers", "1", "--heads", "1", "--embd", "4", "--out", dir.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("already holds a model");
    }

    @Test
    void tokenIdBeyondTheVocabularyIsOneClearError() {
        Path dir = init();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--tokens", "5,20");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: token id 20 at position 1 is outside the vocabulary (vocab_size = 20)");
    }

    @Test
    void sequenceLongerThanTheContextIsOneClearError() {
        Path dir = init();
        String ids = String.join(",", java.util.Collections.nCopies(17, "1"));
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--tokens", ids);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("17 tokens is longer than the context window (n_positions = 16)");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void verboseShowsTheStackTrace() {
        Path dir = init();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--tokens", "99", "--verbose");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("\tat org.gpt4j.");
    }

    @Test
    void malformedTokenListNamesTheValue() {
        Path dir = init();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--tokens", "5,x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("'x' is not a token id");
    }

    @Test
    void aModelLargerThanTheHeapIsRefusedUpFrontWithTheBytesAndTheHint() {
        Cli.Result r = Cli.run("init", "--layers", "96", "--heads", "96", "--embd", "12288", "--context", "2048",
                "--out", tmp.resolve("gpt3").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("error: initialising a GPT of 174,604,259,328 parameters needs 698.4 GB of memory")
                .contains("GPT4J_JAVA_OPTS=-Xmx");
        assertThat(tmp.resolve("gpt3")).doesNotExist();
    }

    @Test
    void derivedSizesThatOverflowNameTheOption() {
        Cli.Result r = Cli.run("init", "--layers", "2", "--heads", "2", "--embd", "1000000000", "--out", tmp.resolve("e").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: --embd 1000000000 is too large: the feed-forward layer is 4 x --embd wide")
                .doesNotContain("-294967296");
        r = Cli.run("params", "--layers", "2", "--heads", "1", "--embd", "800000000");
        assertThat(r.err()).startsWith("error: --embd 800000000 is too large");
    }

    @Test
    void inspectRefusesAConfigThatContradictsItsWeightsBeforeAllocating() throws Exception {
        Path dir = tmp.resolve("huge-config");
        assertThat(Cli.run("init", "--layers", "2", "--heads", "2", "--embd", "8", "--vocab", "20", "--context", "8",
                "--out", dir.toString()).exitCode()).isZero();
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replaceFirst("\"n_layer\" : 2", "\"n_layer\" : 1000000000"));
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run("inspect", "--model", dir.toString(), "--tokens", "1,2");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + config + ": n_layer is 1000000000 but model.safetensors holds 2 blocks");
    }
}
