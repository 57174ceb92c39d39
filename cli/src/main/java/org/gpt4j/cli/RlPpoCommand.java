package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.finetune.TaskDataException;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.rl.LmPpoConfig;
import org.gpt4j.rl.LmPpoMetricsLog;
import org.gpt4j.rl.LmPpoTrainer;
import org.gpt4j.rl.PolicyWithValueHead;
import org.gpt4j.rl.PpoLoss;
import org.gpt4j.rl.PromptFile;
import org.gpt4j.rl.RewardModel;
import org.gpt4j.rl.ValueHeadFile;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.train.MetricsLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j rl ppo}: tune a GPT with PPO against a reward model, held near its start by a KL penalty. */
@Command(name = "ppo", header = "Tune a GPT with PPO against a reward model (RLHF; TRL's PPOTrainer settings).",
        mixinStandardHelpOptions = true,
        description = {"Each step samples --batch responses of --response-tokens tokens to prompts of --prompts",
            "(temperature 1), scores them with --reward (a reward model, or a classifier's --reward-label logit),",
            "subtracts beta x KL(policy || start) per token (beta adapted towards --target-kl), and runs --epochs",
            "of PPO minibatches (GAE 1/0.95, clip 0.2, value head coefficient 0.1, Adam). Writes metrics.jsonl,",
            "reward.png and the tuned policy (a GPT-2 model directory, its value head in value_head.safetensors)",
            "to --out, the best one to --out/best. A --policy with a value_head.safetensors continues with that head."})
final class RlPpoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--policy", required = true, paramLabel = "DIR", description = "The starting GPT (a model directory or name).")
    Path policy;

    @Option(names = "--reward", required = true, paramLabel = "DIR", description = "A reward model from 'reward train', or a fine-tuned classifier.")
    Path reward;

    @Option(names = "--reward-label", paramLabel = "NAME", description = "With a classifier as --reward: the label whose logit is the reward.")
    String rewardLabel;

    @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "UTF-8 text, one prompt per line.")
    Path prompts;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for metrics.jsonl, reward.png and the tuned model.")
    Path out;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100", description = "PPO steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Responses per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--minibatch", paramLabel = "N", description = "Responses per gradient step (default: 16, or --batch when smaller).")
    Integer minibatch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "4", description = "PPO epochs over each batch (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--response-tokens", paramLabel = "N", defaultValue = "16", description = "Tokens sampled per response (default: ${DEFAULT-VALUE}).")
    int responseTokens;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1.41e-5", description = "Adam learning rate (default: ${DEFAULT-VALUE}, TRL's).")
    double lr;

    @Option(names = "--kl-coef", paramLabel = "BETA", defaultValue = "0.2", description = "Initial KL coefficient beta (default: ${DEFAULT-VALUE}).")
    double klCoef;

    @Option(names = "--target-kl", paramLabel = "NATS", defaultValue = "6", description = "KL (summed over a response) that beta adapts towards; 0: beta fixed (default: ${DEFAULT-VALUE}).")
    double targetKl;

    @Option(names = "--kl-horizon", paramLabel = "N", defaultValue = "10000", description = "Horizon of beta's adaptation, in responses (default: ${DEFAULT-VALUE}).")
    double klHorizon;

    @Option(names = "--max-grad-norm", paramLabel = "X", defaultValue = "0", description = "Clip the gradient's global norm; 0: no clipping (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "10", description = "Print samples and keep the best policy every N steps (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace an earlier run in --out.")
    boolean force;

    @Option(names = "--json", description = "Print only a JSON summary at the end.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        LmPpoConfig config = new LmPpoConfig(steps, batch, minibatch != null ? minibatch : Math.min(16, batch), epochs, responseTokens, lr, klCoef,
                targetKl > 0 ? targetKl : Double.NaN, klHorizon, 1.0, 0.95,
                new PpoLoss.Coefficients(0.2, 0.1, 0.0, false, true), maxGradNorm, evalEvery, seed);
        if (!Files.isRegularFile(prompts)) {
            throw new TaskDataException(prompts, 0, Files.exists(prompts) ? "is not a file" : "no such file");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        }
        if (Files.exists(out.resolve(MetricsLog.FILE)) && !force) {
            throw new IllegalArgumentException("--out " + out + " already holds a run (" + MetricsLog.FILE
                    + "); pass --force to replace it");
        }
        Path policyDir = ModelNames.resolveFromEnvironment(policy);
        Path rewardDir = ModelNames.resolveFromEnvironment(reward);
        Gpt start = ModelDirectory.load(policyDir);
        Tokenizer tokenizer = Tokenizers.load(policyDir);
        PromptFile.Prompts p = PromptFile.read(prompts, tokenizer, responseTokens, start.config().nPositions());
        RewardModel rm = RewardModel.load(rewardDir, rewardLabel);
        Tokenizer rewardTokenizer = Tokenizers.load(rewardDir);
        ClassificationHead valueHead = ValueHeadFile.load(policyDir, start.config().nEmbd()).orElse(null);
        LmPpoTrainer trainer = new LmPpoTrainer(config, start, valueHead, rm.asReward(rewardTokenizer, 32), tokenizer,
                p.tokens());
        Files.createDirectories(out);
        PrintWriter stdout = spec.commandLine().getOut();
        if (!json) {
            stdout.printf(Locale.ROOT, "ppo: %s, %d prompts, reward %s%s; %d steps x %d responses of %d tokens%n",
                    policyDir, p.tokens().size(), rewardDir, rewardLabel == null ? "" : " (label " + rewardLabel + ")",
                    steps, batch, responseTokens);
            if (valueHead != null) {
                stdout.println("ppo: the value head of " + policyDir.resolve(ValueHeadFile.FILE) + " continues");
            }
            stdout.flush();
        }
        LmPpoTrainer.StepReport first = null;
        LmPpoTrainer.StepReport last = null;
        double recent = 0;
        double windowScore = 0;
        int window = 0;
        double best = Double.NEGATIVE_INFINITY;
        double seconds = 0;
        int tail = Math.min(10, steps);
        try (LmPpoMetricsLog log = LmPpoMetricsLog.create(out)) {
            for (int s = 1; s <= steps; s++) {
                LmPpoTrainer.StepReport r = trainer.step();
                first = first == null ? r : first;
                last = r;
                seconds += r.seconds();
                log.write(r);
                windowScore += r.meanScore();
                window++;
                if (s > steps - tail) {
                    recent += r.meanScore() / tail;
                }
                if (!json) {
                    printStep(stdout, r);
                }
                if (!r.samples().isEmpty() && s > 1) {
                    // the mean score since the last evaluation: the best policy so far goes to best/
                    double score = windowScore / window;
                    windowScore = 0;
                    window = 0;
                    if (score > best) {
                        best = score;
                        save(trainer.policy(), tokenizer, out.resolve("best"));
                    }
                    drawPlot();
                }
            }
        }
        save(trainer.policy(), tokenizer, out);
        drawPlot();
        if (json) {
            stdout.printf(Locale.ROOT, "{\"score_start\": %.4f, \"score_end\": %.4f, \"kl_end\": %.4f, \"beta_end\": %.4f,"
                    + " \"steps\": %d, \"seconds\": %.1f, \"tokens_per_second\": %.1f}%n", first.meanScore(), recent,
                    last.kl(), trainer.beta(), steps, seconds, (double) steps * batch * responseTokens / seconds);
        } else {
            stdout.printf(Locale.ROOT, "mean score %.3f at step 1, %.3f over the last %d steps; KL %.2f, beta %.3f;"
                    + " %.1f s (%.1f response tokens/s); %s, %s%n", first.meanScore(), recent, tail, last.kl(),
                    trainer.beta(), seconds, (double) steps * batch * responseTokens / seconds, out,
                    out.resolve(PpoRewardPlot.FILE));
        }
        stdout.flush();
        return 0;
    }

    private static void printStep(PrintWriter w, LmPpoTrainer.StepReport r) {
        w.printf(Locale.ROOT, "step %d/%d  score %.3f  kl %.3f  beta %.4f  entropy %.3f  clip %.3f  value loss %.4f  "
                        + "policy loss %.4f  approx kl %.5f  %.1f s  %.0f tok/s%n", r.step(), r.steps(), r.meanScore(),
                r.kl(), r.beta(), r.entropy(), r.clipFraction(), r.valueLoss(), r.policyLoss(), r.approxKl(),
                r.seconds(), r.tokensPerSecond());
        for (LmPpoTrainer.Sample s : r.samples()) {
            w.printf(Locale.ROOT, "  %+.3f  %s|%s%n", s.score(), oneLine(s.prompt()), oneLine(s.response()));
        }
        w.flush();
    }

    private static String oneLine(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r");
    }

    /** The policy as a GPT-2 directory, with its value head beside it ({@link ValueHeadFile}). */
    private static void save(PolicyWithValueHead policy, Tokenizer tokenizer, Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        ModelDirectory.save(policy.gpt(), dir);
        Tokenizers.save(tokenizer, dir);
        ValueHeadFile.save(policy.valueHead(), dir);
    }

    private void drawPlot() {
        try {
            PpoRewardPlot.write(out);
        } catch (Exception | Error e) {
            spec.commandLine().getErr().println("warning: could not draw " + PpoRewardPlot.FILE + ": "
                    + UserErrorHandler.messageOf(e));
        }
    }
}
