package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chat} driven through its input: replies, /help, settings commands and their errors. */
class ChatCommandTest {

    @TempDir
    static Path tmp;

    static Path model;

    @BeforeAll
    static void model() throws Exception {
        // A character vocabulary keeps the model small; the context (32) is shorter than a conversation.
        CharTokenizer chars = CharTokenizer.fromText("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ:?!.,'\n");
        model = tmp.resolve("chat");
        Cli.Result r = Cli.run("init", "--layers", "1", "--heads", "2", "--embd", "8", "--vocab",
                String.valueOf(chars.vocabSize()), "--context", "32", "--seed", "9", "--out", model.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Tokenizers.save(chars, model);
    }

    private static Cli.Result chat(String input, String... options) {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            String[] args = new String[3 + options.length];
            args[0] = "chat";
            args[1] = "--model";
            args[2] = model.toString();
            System.arraycopy(options, 0, args, 3, options.length);
            return Cli.run(args);
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void repliesToEachMessageAndEndsAtEndOfInput() {
        Cli.Result r = chat("hello there\nhow are you?\n", "--seed", "1", "--max-new-tokens", "6");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("gpt4j chat: /help");
        // Three prompts: two messages, then end of input; each reply on its own line.
        assertThat(r.out().lines().filter(l -> l.startsWith("> "))).hasSize(3);
    }

    @Test
    void oneSeedReplaysTheSameConversation() {
        String input = "tell me a story\nand another\n";
        assertThat(chat(input, "--seed", "5", "--max-new-tokens", "8").out())
                .isEqualTo(chat(input, "--seed", "5", "--max-new-tokens", "8").out());
    }

    @Test
    void int8WeightsChatAndReplayWithOneSeed() {
        String input = "hello there\nhow are you?\n";
        Cli.Result r = chat(input, "--seed", "3", "--max-new-tokens", "6", "--weights", "int8");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("> "))).hasSize(3);
        assertThat(chat(input, "--seed", "3", "--max-new-tokens", "6", "--weights", "int8").out()).isEqualTo(r.out());
    }

    @Test
    void commandsChangeTheSettingsAndReportBadValues() {
        Cli.Result r = chat("/help\n/temperature 0\n/temperature 0.5\n/top-k 5\n/top-p 2\n/max-new-tokens x\n/greedy\n"
                + "/settings\n/nonsense\nhi\n/quit\nnever read\n", "--seed", "2", "--max-new-tokens", "4");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("/repetition-penalty X")
                .contains("error: temperature must be a positive number, got 0.0")
                .contains("sampling: temperature 0.5, top-k 40")
                .contains("sampling: temperature 0.5, top-k 5, top-p 0.95")
                .contains("error: top_p must be in (0, 1], got 2.0")
                .contains("error: /max-new-tokens: 'x' is not an integer")
                .contains("greedy: repetition penalty 1.1, max new tokens 4")
                .contains("error: unknown command /nonsense");
        // /quit ends the session before the last line.
        assertThat(r.out().lines().filter(l -> l.startsWith("> "))).hasSize(11);
    }

    @Test
    void chatNeedsATokenizer() {
        Path bare = tmp.resolve("bare");
        assertThat(Cli.run("init", "--layers", "1", "--heads", "1", "--embd", "4", "--vocab", "10", "--context", "8",
                "--out", bare.toString()).exitCode()).isZero();
        Cli.Result r = Cli.run("chat", "--model", bare.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("holds no tokenizer");
    }
}
