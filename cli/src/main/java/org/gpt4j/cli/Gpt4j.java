package org.gpt4j.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gpt4j} command: one picocli class per sub-command. Sub-commands only parse, call
 * {@code core}, and print.
 */
@Command(
        name = "gpt4j",
        mixinStandardHelpOptions = true,
        versionProvider = Gpt4j.Version.class,
        description = "A pure-Java toolkit for GPT-style language models: train, run, inspect.",
        subcommands = {
            InitCommand.class,
            InspectCommand.class,
            FillMaskCommand.class,
            EmbedCommand.class,
            GenerateCommand.class,
            ChatCommand.class,
            ParamsCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            FineTuneCommand.class,
            EvaluateTaskCommand.class,
            MakeInstructionsCommand.class,
            EvaluateInstructionsCommand.class,
            ClassifyCommand.class,
            FewShotCommand.class,
            BaselineCommand.class,
            CodeCommand.class,
            ExportCommand.class,
            MergeCommand.class,
            TokenizeCommand.class,
            TokenizerCommand.class,
            BenchCommand.class,
            StudioCommand.class,
            ServeCommand.class,
            RlCommand.class,
            RewardCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Gpt4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = execute(commandLine(out, err), args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs {@code args}, with running out of heap as one clear error and exit code 1: picocli
     * hands only Exceptions to {@link UserErrorHandler}, and an Error would otherwise end the
     * JVM with a stack trace. The memory is free again by the time the catch runs.
     */
    static int execute(CommandLine cl, String[] args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            cl.getOut().flush();
            cl.getErr().println("error: " + UserErrorHandler.messageOf(e));
            cl.getErr().flush();
            return 1;
        }
    }

    /** The command line writing to the given streams (tests capture them). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Gpt4j());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(100);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Gpt4j.class.getPackage().getImplementationVersion();
            return new String[] {"gpt4j " + (v == null ? "(development build)" : v)};
        }
    }
}
