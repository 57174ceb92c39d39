package org.gpt4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j tokenizer}: making tokenizers; see its sub-commands. */
@Command(name = "tokenizer", header = "Train tokenizers on your own text.", mixinStandardHelpOptions = true,
        description = "Make tokenizers for your own text.",
        subcommands = {TokenizerTrainCommand.class, CommandLine.HelpCommand.class})
final class TokenizerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
