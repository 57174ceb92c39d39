package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.TaskDataException;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.rl.PolicyComparison;
import org.gpt4j.rl.PromptFile;
import org.gpt4j.rl.RewardModel;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j rl compare}: responses of two policies (before and after PPO) to the same prompts, scored by a reward. */
@Command(name = "compare", header = "Sample two policies (before / after PPO) on the same prompts and score both.",
        mixinStandardHelpOptions = true,
        description = {"For each prompt of --prompts, samples --response-tokens tokens from --before and from --after",
            "(temperature 1, one random stream per policy from --seed), scores both with --reward and writes",
            "{\"prompt\", \"before\", \"after\", \"before_score\", \"after_score\"} lines to --out; prints the mean scores."})
final class RlCompareCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--before", required = true, paramLabel = "DIR", description = "The starting policy.")
    Path before;

    @Option(names = "--after", required = true, paramLabel = "DIR", description = "The tuned policy (same tokenizer).")
    Path after;

    @Option(names = "--reward", required = true, paramLabel = "DIR", description = "A reward model, or a classifier with --reward-label.")
    Path reward;

    @Option(names = "--reward-label", paramLabel = "NAME", description = "With a classifier: the label whose logit is the reward.")
    String rewardLabel;

    @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "UTF-8 text, one prompt per line.")
    Path prompts;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The pairs, as JSON lines.")
    Path out;

    @Option(names = "--response-tokens", paramLabel = "N", defaultValue = "16", description = "Tokens per response (default: ${DEFAULT-VALUE}).")
    int responseTokens;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print {\"before\", \"after\", \"n\"}: the mean scores.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (responseTokens < 1) {
            throw new IllegalArgumentException("--response-tokens must be >= 1, got " + responseTokens);
        }
        if (!java.nio.file.Files.isRegularFile(prompts)) {
            throw new TaskDataException(prompts, 0, java.nio.file.Files.exists(prompts) ? "is not a file" : "no such file");
        }
        Path beforeDir = ModelNames.resolveFromEnvironment(before);
        Path afterDir = ModelNames.resolveFromEnvironment(after);
        Path rewardDir = ModelNames.resolveFromEnvironment(reward);
        Gpt a = ModelDirectory.load(beforeDir);
        Gpt b = ModelDirectory.load(afterDir);
        Tokenizer tokenizer = Tokenizers.load(beforeDir);
        if (tokenizer.vocabSize() != Tokenizers.load(afterDir).vocabSize()) {
            throw new IllegalArgumentException("--before and --after have different tokenizers");
        }
        PromptFile.Prompts p = PromptFile.read(prompts, tokenizer, responseTokens,
                Math.min(a.config().nPositions(), b.config().nPositions()));
        RewardModel rm = RewardModel.load(rewardDir, rewardLabel);
        List<PolicyComparison.Pair> pairs = PolicyComparison.run(a, b, rm.asReward(Tokenizers.load(rewardDir), 32),
                tokenizer, p.tokens(), responseTokens, seed);
        StringBuilder lines = new StringBuilder();
        double sa = 0;
        double sb = 0;
        for (PolicyComparison.Pair pair : pairs) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("prompt", pair.prompt());
            n.put("before", pair.before());
            n.put("after", pair.after());
            n.put("before_score", pair.beforeScore());
            n.put("after_score", pair.afterScore());
            lines.append(MAPPER.writeValueAsString(n)).append('\n');
            sa += pair.beforeScore() / pairs.size();
            sb += pair.afterScore() / pairs.size();
        }
        AtomicFiles.write(out, lines.toString().getBytes(StandardCharsets.UTF_8));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.printf(Locale.ROOT, "{\"before\": %.4f, \"after\": %.4f, \"n\": %d}%n", sa, sb, pairs.size());
        } else {
            w.printf(Locale.ROOT, "mean score before %.3f, after %.3f over %d prompts; %s%n", sa, sb, pairs.size(), out);
        }
        w.flush();
        return 0;
    }
}
