package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Running out of heap in a command ends in one error line and exit code 1, not a stack trace. */
class OutOfMemoryErrorTest {

    @CommandLine.Command(name = "greedy")
    static final class Greedy implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void outOfMemoryIsOneErrorLineAndExitCodeOne() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Greedy());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler(new UserErrorHandler());

        int code = Gpt4j.execute(cl, new String[0]);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("error: out of memory: do less at once")
                .contains("--batch").contains("GPT4J_JAVA_OPTS=-Xmx");
        assertThat(out.toString()).isEmpty();
    }
}
