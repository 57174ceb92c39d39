package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.rl.PpoConfig;
import org.gpt4j.rl.PpoMetricsLog;
import org.gpt4j.rl.PpoTrainer;
import org.gpt4j.train.MetricsLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j rl cartpole}: PPO on CartPole-v1 with CleanRL's settings; a return curve and the final mean return. */
@Command(name = "cartpole", header = "Train PPO on CartPole-v1 (CleanRL's ppo.py settings).",
        mixinStandardHelpOptions = true,
        description = {"Trains an actor-critic (two 64-64 tanh MLPs) with PPO on --envs CartPole-v1 environments:",
            "128 steps each per rollout, GAE (0.99, 0.95), 4 epochs of 4 minibatches, clip 0.2, Adam 2.5e-4",
            "annealed to 0. Writes metrics.jsonl (every episode, every update) and returns.png to --out, and",
            "prints the mean return of the last 100 episodes. The same --seed gives the same run."})
final class RlCartPoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "500000",
            description = "Environment steps in all, over every environment (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--envs", paramLabel = "N", defaultValue = "4",
            description = "Environments stepped together (default: ${DEFAULT-VALUE}).")
    int envs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for metrics.jsonl and returns.png.")
    Path out;

    @Option(names = "--force", description = "Replace the metrics of an earlier run in --out.")
    boolean force;

    @Option(names = "--json", description = "Print only {\"mean_return\", \"episodes\", \"steps\", \"seconds\"} at the end.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PpoConfig config = PpoConfig.cleanRl(steps, envs, seed);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        }
        if (Files.exists(out.resolve(MetricsLog.FILE)) && !force) {
            throw new IllegalArgumentException("--out " + out + " already holds a run (" + MetricsLog.FILE
                    + "); pass --force to replace it");
        }
        Files.createDirectories(out);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PpoTrainer.Result r;
        try (PpoMetricsLog log = PpoMetricsLog.create(out);
                RlProgress progress = new RlProgress(stdout, stderr, json, TrainProgress.isTerminal(), out,
                        config.iterations())) {
            r = PpoTrainer.train(config, new PpoTrainer.Listener() {
                @Override
                public void onEpisode(long globalStep, org.gpt4j.rl.VectorCartPole.Episode episode) {
                    log.onEpisode(globalStep, episode);
                }

                @Override
                public void onIteration(PpoTrainer.IterationReport report) {
                    log.onIteration(report);
                    progress.onIteration(report);
                }
            });
        }
        try {
            ReturnCurvePlot.write(out);
        } catch (Exception | Error e) {
            stderr.println("warning: could not draw " + ReturnCurvePlot.FILE + ": " + UserErrorHandler.messageOf(e));
        }
        if (json) {
            stdout.printf(Locale.ROOT, "{\"mean_return\": %s, \"episodes\": %d, \"steps\": %d, \"seconds\": %.1f}%n",
                    jsonNumber(r.meanReturn()), r.episodes(), r.steps(), r.seconds());
        } else {
            stdout.printf(Locale.ROOT, "mean return of the last %d episodes: %.1f (%d episodes, %d steps, %.1f s); %s, %s%n",
                    PpoTrainer.WINDOW, r.meanReturn(), r.episodes(), r.steps(), r.seconds(),
                    out.resolve(MetricsLog.FILE), out.resolve(ReturnCurvePlot.FILE));
        }
        stdout.flush();
        return 0;
    }

    private static String jsonNumber(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "null";
    }
}
