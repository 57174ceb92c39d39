package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gpt4j serve}'s command line: its help, and the mistakes that stop it before it serves,
 * each one error line (the server itself is tested over HTTP in the server module).
 */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void helpNamesTheApiAndTheOptions() {
        Cli.Result r = Cli.run("serve", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("/v1/chat/completions", "--model", "--port", "--host", "--api-key", "--weights",
                "--max-batch", "--max-tokens", "--queue", "--max-body-bytes");
    }

    @Test
    void aModelWithoutATokenizerIsRefused() {
        Path model = dir.resolve("ids-only");
        assertThat(Cli.run("init", "--layers", "1", "--heads", "2", "--embd", "8", "--vocab", "30", "--context", "16",
                "--out", model.toString()).exitCode()).isZero();
        Cli.Result r = Cli.run("serve", "--model", model.toString(), "--port", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("holds no tokenizer").doesNotContain("\tat ");
    }

    @Test
    void badNumbersAreRefused() {
        Cli.Result r = Cli.run("serve", "--model", dir.toString(), "--max-batch", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--max-batch");
        Cli.Result p = Cli.run("serve", "--model", dir.toString(), "--port", "70000");
        assertThat(p.exitCode()).isEqualTo(1);
        assertThat(p.err()).contains("port");
    }

    @Test
    void aPortInUseIsOneErrorLine() throws Exception {
        Path model = dir.resolve("small");
        assertThat(Cli.run("init", "--layers", "1", "--heads", "2", "--embd", "8", "--context", "16",
                "--out", model.toString()).exitCode()).isZero();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("serve", "--model", model.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("--port");
            assertThat(r.out()).doesNotContain("gpt4j serve: http");
        }
    }
}
