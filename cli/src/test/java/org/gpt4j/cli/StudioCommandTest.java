package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpt4j studio}: its defaults and its refusals (serving itself is tested in the server module). */
class StudioCommandTest {

    @Test
    void listensOnLoopbackByDefault() {
        Cli.Result r = Cli.run("studio", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--host=ADDR").contains("default: 127.0.0.1").contains("newest model under ./runs");
    }

    @Test
    void anUnknownModelIsOneClearErrorLine(@TempDir Path temp) {
        Cli.Result r = Cli.run("studio", "--model", temp.resolve("nothing").toString(), "--port", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("nothing").doesNotContain("Exception");
    }

    @Test
    void aPortInUseSaysToChooseAnother(@TempDir Path temp) throws Exception {
        Cli.run("init", "--layers", "1", "--heads", "1", "--embd", "8", "--context", "8", "--vocab", "11",
                "--out", temp.resolve("m").toString());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("studio", "--model", temp.resolve("m").toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("choose another --port");
        }
    }
}
