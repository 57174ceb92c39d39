package org.gpt4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gpt4j reward}: reward models learnt from human comparisons; see its sub-commands. */
@Command(name = "reward", header = "Train a reward model on ranked responses, and score responses with it.",
        mixinStandardHelpOptions = true,
        description = "A reward model r(prompt, response) as InstructGPT's: the GPT with a scalar head on the last token "
                + "of 'start prompt delim response extract', trained on comparisons with the loss -log sigma(r(x, y_w) - "
                + "r(x, y_l)). 'reward train' learns one; 'reward score' scores responses with it (or with a fine-tuned "
                + "classifier's --label logit, as TRL's sentiment example).",
        subcommands = {RewardTrainCommand.class, RewardScoreCommand.class, CommandLine.HelpCommand.class})
final class RewardCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
