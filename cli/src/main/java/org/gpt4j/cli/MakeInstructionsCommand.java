package org.gpt4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.instruct.InstructionExample;
import org.gpt4j.finetune.instruct.InstructionWriter;
import org.gpt4j.finetune.instruct.SyntheticTasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j make-instructions}: checkable instruction data for trying instruction tuning. */
@Command(name = "make-instructions", header = "Write checkable instruction data (two-digit addition, word reversal) as JSON Lines.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write instruction data anyone can check, as JSON Lines {\"prompt\", \"response\"}:",
            "arithmetic: two-digit addition ('What is 37 + 48?' -> '85'); reverse: a short English word",
            "backwards ('Reverse the word 'planet'.' -> 'tenalp'); mixed: both. Each asked in several",
            "phrasings. The train and dev splits hold different problems (one in ten goes to dev, by a",
            "hash of the problem), so dev exact match measures the skill. The seed fixes every choice."})
final class MakeInstructionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--task", required = true, paramLabel = "arithmetic|reverse|mixed", description = "What to ask.")
    SyntheticTasks.Task task;

    @Option(names = "--n", required = true, paramLabel = "N", description = "Number of examples.")
    int n;

    @Option(names = "--split", paramLabel = "train|dev", defaultValue = "train",
            description = "Which problems to draw from (default ${DEFAULT-VALUE}).")
    SyntheticTasks.Split split;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The JSON Lines file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<InstructionExample> examples = SyntheticTasks.generate(task, split, n, seed);
        InstructionWriter.write(examples, out);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %,d %s examples (%s split, seed %d) to %s%n", n,
                task.name().toLowerCase(Locale.ROOT), split.name().toLowerCase(Locale.ROOT), seed, out);
        return 0;
    }
}
