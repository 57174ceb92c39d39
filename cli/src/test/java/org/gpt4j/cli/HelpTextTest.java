package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every command's help stays complete: a one-line header (the command list shows it untruncated),
 * a description on every option and parameter (one paragraph, which picocli wraps), and the
 * default of every option that has one.
 */
class HelpTextTest {

    /** Two lines of the command list at most (it wraps a header after 75 characters). */
    private static final int COMMAND_LIST_WIDTH = 90;

    private static List<CommandLine> allCommands() {
        List<CommandLine> all = new ArrayList<>();
        collect(Gpt4j.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), all);
        return all;
    }

    private static void collect(CommandLine cl, List<CommandLine> all) {
        all.add(cl);
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (sub.getKey().equals(sub.getValue().getCommandName())) {
                collect(sub.getValue(), all);
            }
        }
    }

    private static String name(CommandSpec spec) {
        return spec.qualifiedName(" ");
    }

    /** An option or positional parameter, and what the help calls it ("gpt4j train --data"). */
    private record Argument(ArgSpec spec, String name) {
    }

    private static List<Argument> allArguments() {
        List<Argument> all = new ArrayList<>();
        for (CommandLine cl : allCommands()) {
            CommandSpec spec = cl.getCommandSpec();
            List<ArgSpec> args = new ArrayList<>(spec.options());
            args.addAll(spec.positionalParameters());
            for (ArgSpec a : args) {
                String what = a instanceof OptionSpec o ? o.longestName() : ((PositionalParamSpec) a).paramLabel();
                all.add(new Argument(a, name(spec) + " " + what));
            }
        }
        return all;
    }

    @Test
    void everyCommandHasAOneLineHeaderThatFitsTheCommandList() {
        List<String> problems = new ArrayList<>();
        for (CommandLine cl : allCommands()) {
            CommandSpec spec = cl.getCommandSpec();
            if (spec.parent() == null || spec.name().equals("help")) {
                continue;
            }
            String[] header = spec.usageMessage().header();
            if (header.length != 1 || header[0].isBlank()) {
                problems.add(name(spec) + ": needs a one-line header");
            } else if (header[0].length() > COMMAND_LIST_WIDTH || !header[0].endsWith(".")) {
                problems.add(name(spec) + ": header must be one sentence of at most " + COMMAND_LIST_WIDTH
                        + " characters: " + header[0]);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOptionAndParameterIsDescribed() {
        List<String> problems = new ArrayList<>();
        for (Argument a : allArguments()) {
            if (!a.spec().hidden() && String.join(" ", a.spec().description()).isBlank()) {
                problems.add(a.name() + ": no description");
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * picocli prints each element of a description array as a line of its own, wrapped to the
     * option column: hand-wrapped lines come out ragged. An option's description is one string
     * (concatenated in the source), which picocli wraps to the terminal.
     */
    @Test
    void everyOptionDescriptionIsOneParagraphForPicocliToWrap() {
        List<String> problems = new ArrayList<>();
        for (Argument a : allArguments()) {
            if (a.spec().description().length > 1) {
                problems.add(a.name() + ": " + a.spec().description().length + " lines");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyDefaultIsShown() {
        List<String> problems = new ArrayList<>();
        for (CommandLine cl : allCommands()) {
            CommandSpec spec = cl.getCommandSpec();
            for (OptionSpec o : spec.options()) {
                if (o.hidden() || o.defaultValue() == null || o.usageHelp() || o.versionHelp()
                        || o.type() == boolean.class || o.type() == Boolean.class) {
                    continue;
                }
                String description = String.join(" ", o.description());
                // Interpolated by picocli, or written out in the text ("(default 0.1)").
                boolean shown = description.contains("${DEFAULT-VALUE}") || spec.usageMessage().showDefaultValues()
                        || o.showDefaultValue() == CommandLine.Help.Visibility.ALWAYS
                        || description.toLowerCase(java.util.Locale.ROOT).contains("default") && description.contains(o.defaultValue());
                if (!shown) {
                    problems.add(name(spec) + " " + o.longestName() + ": default " + o.defaultValue() + " not shown");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void versionPrintsTheVersion() {
        Cli.Result r = Cli.run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("gpt4j ");
        assertThat(Cli.run("-V").out()).isEqualTo(r.out());
    }
}
