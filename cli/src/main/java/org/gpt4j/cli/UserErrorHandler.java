package org.gpt4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns an exception from a sub-command into one clear line on stderr and exit code 1; the
 * stack trace only with {@code --verbose}.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        err.println("error: " + messageOf(ex));
        if (isVerbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    static String messageOf(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        if (ex instanceof java.nio.file.NoSuchFileException) {
            m = "no such file: " + m;
        } else if (ex instanceof java.nio.file.AccessDeniedException) {
            m = "permission denied: " + m;
        } else if (ex instanceof OutOfMemoryError) {
            m = "out of memory: do less at once (a smaller --batch where the command has one; training "
                    + "with --init-from takes the model's context) or raise the heap with GPT4J_JAVA_OPTS=-Xmx...";
        }
        return m;
    }

    private static boolean isVerbose(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult r = pr; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
