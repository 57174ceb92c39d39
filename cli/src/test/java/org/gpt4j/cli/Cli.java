package org.gpt4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code gpt4j} in-process, capturing what it prints. */
final class Cli {

    record Result(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Gpt4j.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
