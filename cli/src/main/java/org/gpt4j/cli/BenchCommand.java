package org.gpt4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gpt4j bench}: speed of training and decoding on random weights, and the machine's peak
 * they are measured against; see its sub-commands.
 */
@Command(name = "bench", header = "Time training and decoding, or measure the machine's peak.",
        mixinStandardHelpOptions = true,
        description = {"Time training steps or KV-cache decoding of a GPT with random weights, or measure",
            "this machine's FP32 peak and memory bandwidth. Every figure names the ISA it ran with.",
            "bench/side_by_side.py runs these beside PyTorch and prints the ratios."},
        subcommands = {BenchTrainCommand.class, BenchDecodeCommand.class, BenchPeakCommand.class,
            CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
