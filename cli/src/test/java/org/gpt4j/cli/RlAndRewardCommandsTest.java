package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rl cartpole}, {@code reward train} and {@code reward score} end to end: the JSON they
 * promise, the files they write, and one error line for bad input without touching earlier results.
 */
class RlAndRewardCommandsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void cartpoleWritesMetricsAPlotAndTheFinalJson() throws Exception {
        Path out = tmp.resolve("ppo");
        Cli.Result r = Cli.run("rl", "cartpole", "--steps", "2048", "--seed", "3", "--out", out.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = MAPPER.readTree(r.out());
        assertThat(n.get("steps").asInt()).isEqualTo(2048);
        assertThat(n.get("episodes").asInt()).isPositive();
        assertThat(n.get("mean_return").asDouble()).isPositive();
        assertThat(n.has("seconds")).isTrue();
        assertThat(out.resolve("returns.png")).isNotEmptyFile();
        String metrics = Files.readString(out.resolve("metrics.jsonl"));
        assertThat(metrics).contains("\"type\":\"episode\"").contains("\"type\":\"iteration\"");

        Cli.Result again = Cli.run("rl", "cartpole", "--steps", "2048", "--out", out.toString());
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("already holds a run").contains("--force");
        assertThat(Files.readString(out.resolve("metrics.jsonl"))).isEqualTo(metrics);

        Cli.Result tooFew = Cli.run("rl", "cartpole", "--steps", "100", "--out", tmp.resolve("x").toString());
        assertThat(tooFew.exitCode()).isNotZero();
        assertThat(tooFew.err()).contains("at least one rollout");
    }

    @Test
    void rewardTrainThenScore() throws Exception {
        Path base = tmp.resolve("base");
        CharTokenizer tok = CharTokenizer.fromText("abcdefghijklmnopqrstuvwxyz .");
        ModelDirectory.save(GptInit.randomGpt(GptConfig.gpt2(1, 2, 16, 32, tok.vocabSize()), 1), base);
        Tokenizers.save(tok, base);
        Path pairs = Files.writeString(tmp.resolve("pairs.jsonl"), """
                {"prompt": "the film", "chosen": "is fine", "rejected": "is dull"}
                {"prompt": "it", "ranking": ["was fine", "was ok", "was dull"]}
                """);
        Path out = tmp.resolve("rm");
        Cli.Result r = Cli.run("reward", "train", "--model", base.toString(), "--pairs", pairs.toString(), "--dev",
                pairs.toString(), "--out", out.toString(), "--epochs", "2", "--batch", "2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(MAPPER.readTree(lines[0]).has("dev_pairwise_accuracy")).isTrue();
        JsonNode summary = MAPPER.readTree(lines[2]);
        assertThat(summary.get("train_comparisons").asInt()).isEqualTo(4);
        assertThat(summary.get("steps").asInt()).isEqualTo(4);

        Cli.Result s = Cli.run("reward", "score", "--model", out.toString(), "--prompt", "the film", "--response", "is fine",
                "--response", "is dull", "--json");
        assertThat(s.exitCode()).as(s.err()).isZero();
        assertThat(MAPPER.readTree(s.out()).get("scores").size()).isEqualTo(2);

        Cli.Result notReward = Cli.run("reward", "score", "--model", base.toString(), "--prompt", "a", "--response", "b");
        assertThat(notReward.exitCode()).isNotZero();
        assertThat(notReward.err()).contains("not a fine-tuned task model");

        Path broken = Files.writeString(tmp.resolve("broken.jsonl"), "{\"prompt\": \"a\", \"chosen\": \"b\"");
        Cli.Result bad = Cli.run("reward", "train", "--model", base.toString(), "--pairs", broken.toString(), "--dev",
                pairs.toString(), "--out", tmp.resolve("rm2").toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("broken.jsonl:1: not valid JSON");
        assertThat(tmp.resolve("rm2")).doesNotExist();
    }
}
