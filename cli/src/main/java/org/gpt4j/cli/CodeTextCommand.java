package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gpt4j.evaluate.code.CodeJsonl;
import org.gpt4j.evaluate.code.CodeProblem;
import org.gpt4j.evaluate.code.MbppSplit;
import org.gpt4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gpt4j code text}: problems with their reference solutions as a training text, each
 * written as {@code code generate} prompts it and followed by the solution, so that training on
 * it (Codex-S: fine-tuning on correct solutions of problems like the evaluation's) teaches the
 * model to continue exactly those prompts.
 */
@Command(name = "text", header = "Write problems and their reference solutions as a text to train on (Codex-S).",
        mixinStandardHelpOptions = true,
        description = "Writes each problem's prompt, as code generate gives it, followed by its reference solution "
                + "(MBPP's code, HumanEval's canonical_solution), one problem after another with a blank line between, "
                + "Windows line ends made Unix ones. Train on it with train --init-from MODEL --data FILE: Codex-S "
                + "fine-tuned on solutions of problems like HumanEval's. Problems without a reference are left out "
                + "(a note counts them).")
final class CodeTextCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--problems", required = true, paramLabel = "FILE",
            description = "HumanEval or MBPP JSON Lines (.jsonl or .jsonl.gz).")
    Path problems;

    @Option(names = "--split", defaultValue = "train", paramLabel = "SPLIT",
            description = "MBPP's split by task id: train (601-974), validation, test, prompt or all "
                    + "(default: ${DEFAULT-VALUE}; a HumanEval file needs all).")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The text file to write.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing --out file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        List<CodeProblem> chosen = MbppSplit.named(split).select(CodeJsonl.problems(problems).values());
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(out + " exists; give --force to overwrite it");
        }
        StringBuilder text = new StringBuilder();
        int written = 0;
        for (CodeProblem p : chosen) {
            if (p.reference() == null) {
                continue;
            }
            String solution = p.reference().replace("\r\n", "\n").stripTrailing();
            text.append(p.prompt()).append(solution).append("\n\n\n");
            written++;
        }
        PrintWriter err = spec.commandLine().getErr();
        if (written == 0) {
            throw new IllegalArgumentException(problems + ": none of the " + chosen.size() + " problems has a reference solution");
        }
        if (written < chosen.size()) {
            err.printf("note: %d of %d problems have no reference solution and were left out%n", chosen.size() - written, chosen.size());
        }
        AtomicFiles.write(out, text.toString().getBytes(StandardCharsets.UTF_8));
        err.printf("%d problems with their solutions (%,d characters) -> %s%n", written, text.length(), out);
        return 0;
    }
}
