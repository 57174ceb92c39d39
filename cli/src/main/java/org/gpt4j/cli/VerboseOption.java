package org.gpt4j.cli;

import picocli.CommandLine.Option;

/** The {@code --verbose} flag every sub-command takes: show stack traces with errors. */
final class VerboseOption {
    @Option(names = "--verbose", description = "Show the full stack trace when something fails.")
    boolean verbose;
}
