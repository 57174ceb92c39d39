package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.io.ModelNames;
import org.gpt4j.rl.RewardModel;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j reward score}: r(prompt, response) for one or more responses. */
@Command(name = "score", header = "Score responses to a prompt with a reward model (or a classifier's label).",
        mixinStandardHelpOptions = true,
        description = {"Prints r(prompt, response) for each --response: the scalar of a model from 'reward train', or,",
            "for a fine-tuned classifier, the logit of --label for the text prompt + response. Higher is better."})
final class RewardScoreCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A reward model (or classifier) directory, or a model name.")
    Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The prompt (may be empty).")
    String prompt;

    @Option(names = "--response", required = true, paramLabel = "TEXT", description = "A response to score; repeat to score several.")
    List<String> responses;

    @Option(names = "--label", paramLabel = "NAME", description = "With a classifier: the label whose logit is the reward (e.g. positive).")
    String label;

    @Option(names = "--json", description = "Print {\"scores\": [r, ...]} in the order of the responses.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        RewardModel rm = RewardModel.load(model, label);
        float[] r = rm.scores(Tokenizers.load(model), Collections.nCopies(responses.size(), prompt), responses, 16);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            ArrayNode a = n.putArray("scores");
            for (float v : r) {
                a.add(v);
            }
            w.println(n);
        } else {
            for (int i = 0; i < r.length; i++) {
                w.printf(Locale.ROOT, "%+.4f  %s%n", r[i], responses.get(i));
            }
        }
        w.flush();
        return 0;
    }
}
