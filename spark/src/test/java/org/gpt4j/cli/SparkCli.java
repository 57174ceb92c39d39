package org.gpt4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code gpt4j} in-process with the spark module on the class path, capturing what it prints. */
public final class SparkCli {

    public record Result(int exitCode, String out, String err) {
    }

    private SparkCli() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Gpt4j.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
