package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.rl.ValueHeadFile;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rl ppo} and {@code rl compare} end to end on a tiny random GPT and a reward model trained
 * for a moment: the JSON, metrics.jsonl, reward.png, the tuned policy and best/ as loadable model
 * directories; and one clear error for each kind of bad input, with nothing written.
 */
class RlPpoCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path base;
    private Path reward;
    private Path prompts;

    @BeforeEach
    void policyRewardAndPrompts() throws Exception {
        base = tmp.resolve("base");
        CharTokenizer tok = CharTokenizer.fromText("abcdefghijklmnopqrstuvwxyz .");
        ModelDirectory.save(GptInit.randomGpt(GptConfig.gpt2(1, 2, 16, 32, tok.vocabSize()), 1), base);
        Tokenizers.save(tok, base);
        Path pairs = Files.writeString(tmp.resolve("pairs.jsonl"), """
                {"prompt": "the film", "chosen": "is fine", "rejected": "is dull"}
                {"prompt": "it", "chosen": "was fine", "rejected": "was dull"}
                """);
        reward = tmp.resolve("rm");
        Cli.Result r = Cli.run("reward", "train", "--model", base.toString(), "--pairs", pairs.toString(), "--dev",
                pairs.toString(), "--out", reward.toString(), "--epochs", "1", "--batch", "2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        prompts = Files.writeString(tmp.resolve("prompts.txt"), "the film\n\nit was\na movie\n");
    }

    @Test
    void ppoWritesMetricsAPlotAndLoadableModelsThenCompareScoresBoth() throws Exception {
        Path out = tmp.resolve("ppo");
        Cli.Result r = Cli.run("rl", "ppo", "--policy", base.toString(), "--reward", reward.toString(), "--prompts",
                prompts.toString(), "--out", out.toString(), "--steps", "3", "--batch", "4", "--minibatch", "2",
                "--response-tokens", "4", "--lr", "1e-3", "--eval-every", "2", "--seed", "2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = MAPPER.readTree(r.out());
        for (String key : new String[] {"score_start", "score_end", "kl_end", "beta_end", "steps", "seconds",
            "tokens_per_second"}) {
            assertThat(n.has(key)).as(key).isTrue();
        }
        assertThat(n.get("steps").asInt()).isEqualTo(3);
        String metrics = Files.readString(out.resolve("metrics.jsonl"));
        assertThat(metrics.split("\"type\":\"ppo\"")).hasSize(4);
        assertThat(metrics).contains("\"kl\":").contains("\"clip_fraction\":").contains("\"type\":\"sample\"");
        assertThat(out.resolve("reward.png")).isNotEmptyFile();
        assertThat(ModelDirectory.load(out).config().nEmbd()).isEqualTo(16);
        assertThat(ModelDirectory.load(out.resolve("best")).config().nEmbd()).isEqualTo(16);
        assertThat(ValueHeadFile.load(out, 16)).isPresent();
        assertThat(ValueHeadFile.load(out.resolve("best"), 16)).isPresent();

        // The tuned policy continues with the value head it learnt.
        Cli.Result more = Cli.run("rl", "ppo", "--policy", out.toString(), "--reward", reward.toString(), "--prompts",
                prompts.toString(), "--out", tmp.resolve("ppo-more").toString(), "--steps", "1", "--batch", "4",
                "--minibatch", "2", "--response-tokens", "4");
        assertThat(more.exitCode()).as(more.err()).isZero();
        assertThat(more.out()).contains("the value head of " + out.resolve(ValueHeadFile.FILE) + " continues");

        Path pairs = tmp.resolve("pairs-out.jsonl");
        Cli.Result c = Cli.run("rl", "compare", "--before", base.toString(), "--after", out.toString(), "--reward",
                reward.toString(), "--prompts", prompts.toString(), "--out", pairs.toString(), "--response-tokens", "4",
                "--json");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(MAPPER.readTree(c.out()).get("n").asInt()).isEqualTo(3);
        assertThat(Files.readAllLines(pairs)).hasSize(3).allSatisfy(l -> assertThat(l).contains("\"after_score\""));

        Cli.Result again = Cli.run("rl", "ppo", "--policy", base.toString(), "--reward", reward.toString(),
                "--prompts", prompts.toString(), "--out", out.toString(), "--steps", "1", "--batch", "4");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("already holds a run").contains("--force");
        assertThat(Files.readString(out.resolve("metrics.jsonl"))).isEqualTo(metrics);
    }

    @Test
    void badInputGetsOneClearErrorAndWritesNothing() throws Exception {
        Path out = tmp.resolve("never");
        assertError(ppo(tmp.resolve("missing.txt"), reward, out), "missing.txt: no such file");
        assertError(ppo(Files.writeString(tmp.resolve("empty.txt"), "\n\n"), reward, out),
                "empty.txt: holds no prompts");
        assertError(ppo(Files.write(tmp.resolve("latin1.txt"), new byte[] {'a', (byte) 0xE9, '\n'}), reward, out),
                "latin1.txt:1:");
        assertError(ppo(Files.writeString(tmp.resolve("long.txt"), "ok\n" + "a".repeat(40) + "\n"), reward, out),
                "long.txt:2: a prompt of 40 tokens");
        assertError(ppo(prompts, tmp.resolve("no-reward"), out), "no-reward");
        assertError(ppo(prompts, base, out), "not a fine-tuned task model");
        Path wrongHead = tmp.resolve("wrong-head");
        ModelDirectory.save(ModelDirectory.load(base), wrongHead);
        Tokenizers.save(Tokenizers.load(base), wrongHead);
        ValueHeadFile.save(org.gpt4j.finetune.ClassificationHead.initialized(1, 8, 1), wrongHead);
        assertError(Cli.run("rl", "ppo", "--policy", wrongHead.toString(), "--reward", reward.toString(), "--prompts",
                prompts.toString(), "--out", out.toString(), "--steps", "1", "--batch", "2", "--minibatch", "2"),
                "value_head.safetensors: 'v_head.summary.weight' has shape [1, 8], the policy needs [1, 16]");
        assertError(Cli.run("rl", "ppo", "--policy", base.toString(), "--reward", reward.toString(), "--prompts",
                prompts.toString(), "--out", out.toString(), "--batch", "6", "--minibatch", "4"), "does not split");
        assertThat(out).doesNotExist();
    }

    private Cli.Result ppo(Path promptFile, Path rewardDir, Path out) {
        return Cli.run("rl", "ppo", "--policy", base.toString(), "--reward", rewardDir.toString(), "--prompts",
                promptFile.toString(), "--out", out.toString(), "--steps", "1", "--batch", "2", "--minibatch", "2");
    }

    private static void assertError(Cli.Result r, String message) {
        assertThat(r.exitCode()).as(r.out()).isNotZero();
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().split("\n")).hasSize(1);
        assertThat(r.err()).doesNotContain("\tat ");
    }
}
