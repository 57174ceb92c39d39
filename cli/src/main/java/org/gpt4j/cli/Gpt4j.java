package org.gpt4j.cli;

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
            ParamsCommand.class,
            TokenizeCommand.class,
            TokenizerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Gpt4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Gpt4j());
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
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
