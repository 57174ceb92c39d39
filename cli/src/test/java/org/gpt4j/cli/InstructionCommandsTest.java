package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instruction-tuning commands end to end on a tiny character-level model: make-instructions,
 * finetune --task instruction (--json lines, the summary last), evaluate-instructions before and
 * after, the tuned directory in generate, inspect and chat (which picks up its template), and the
 * errors.
 */
class InstructionCommandsTest {

    @TempDir
    static Path tmp;

    static Path base;
    static Path train;
    static Path dev;

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        StringBuilder ascii = new StringBuilder("\n");
        for (char c = ' '; c <= '~'; c++) {
            ascii.append(c);
        }
        CharTokenizer chars = CharTokenizer.fromText(ascii.toString());
        base = tmp.resolve("base");
        Cli.Result r = Cli.run("init", "--layers", "1", "--heads", "2", "--embd", "16", "--vocab",
                String.valueOf(chars.vocabSize()), "--context", "64", "--seed", "9", "--out", base.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Tokenizers.save(chars, base);
        train = tmp.resolve("train.jsonl");
        dev = tmp.resolve("dev.jsonl");
        Cli.Result t = Cli.run("make-instructions", "--task", "arithmetic", "--n", "48", "--seed", "3", "--out", train.toString());
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("wrote 48 arithmetic examples (train split, seed 3)");
        Cli.Result d = Cli.run("make-instructions", "--task", "arithmetic", "--n", "6", "--split", "dev", "--seed", "4",
                "--out", dev.toString());
        assertThat(d.exitCode()).as(d.err()).isZero();
    }

    @Test
    void makeInstructionsIsDeterministicBySeed() throws Exception {
        Path again = tmp.resolve("again.jsonl");
        Cli.run("make-instructions", "--task", "arithmetic", "--n", "48", "--seed", "3", "--out", again.toString());
        assertThat(Files.readString(again)).isEqualTo(Files.readString(train));
        Path reverse = tmp.resolve("reverse.jsonl");
        Cli.run("make-instructions", "--task", "reverse", "--n", "3", "--seed", "3", "--out", reverse.toString());
        List<String> lines = Files.readAllLines(reverse);
        assertThat(lines).hasSize(3);
        JsonNode first = JSON.readTree(lines.getFirst());
        assertThat(first.get("prompt").asText()).contains("'");
        assertThat(first.get("response").asText()).matches("[a-z]+");
    }

    @Test
    void tunesEvaluatesAndTheDirectoryLoadsEverywhere() throws Exception {
        Path out = tmp.resolve("tuned");
        Cli.Result r = Cli.run("finetune", "--task", "instruction", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString(), "--epochs", "2", "--batch", "8", "--lr", "1e-3", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        JsonNode epoch1 = JSON.readTree(lines.getFirst());
        assertThat(epoch1.get("epoch").asInt()).isEqualTo(1);
        assertThat(epoch1.has("dev_loss")).isTrue();
        JsonNode summary = JSON.readTree(lines.getLast());
        for (String key : List.of("dev_loss", "dev_exact_match", "best_epoch", "seconds", "steps", "last_dev_exact_match")) {
            assertThat(summary.has(key)).as(key).isTrue();
        }
        assertThat(summary.get("steps").asInt()).isEqualTo(12);
        assertThat(summary.get("dev_loss").asDouble()).isLessThan(epoch1.get("train_loss").asDouble() + 10).isPositive();
        Path best = out.resolve("best");
        assertThat(best.resolve("tokenizer_config.json")).exists();
        assertThat(out.resolve("metrics.jsonl")).exists();

        Cli.Result after = Cli.run("evaluate-instructions", "--model", best.toString(), "--data", dev.toString(), "--json");
        assertThat(after.exitCode()).as(after.err()).isZero();
        JsonNode em = JSON.readTree(after.out());
        assertThat(em.get("n").asInt()).isEqualTo(6);
        assertThat(em.get("format").asText()).isEqualTo("chat_template");
        assertThat(em.get("exact_match").asDouble()).isEqualTo(summary.get("dev_exact_match").asDouble());
        Cli.Result before = Cli.run("evaluate-instructions", "--model", base.toString(), "--data", dev.toString(), "--limit", "2");
        assertThat(before.exitCode()).as(before.err()).isZero();
        assertThat(before.out()).contains("of 2) with the plain transcript");

        Cli.Result g = Cli.run("generate", "--model", best.toString(), "--prompt", "What is 1 + 2?", "--max-new-tokens", "3",
                "--seed", "1");
        assertThat(g.exitCode()).as(g.err()).isZero();
        Cli.Result i = Cli.run("inspect", "--model", best.toString(), "--text", "Hi", "--json");
        assertThat(i.exitCode()).as(i.err()).isZero();
        assertThat(org.gpt4j.server.studio.Studio.open(best).modelDirectory()).isEqualTo(best.toAbsolutePath().normalize());

        Cli.Result chat = chat(best, "What is 12 + 30?\n/reset\nAdd 5 and 6.\n", "--greedy", "--max-new-tokens", "4",
                "--system", "Answer with a number.");
        assertThat(chat.exitCode()).as(chat.err()).isZero();
        assertThat(chat.out()).contains("(the model's chat template: <|user|> ... <|assistant|> ..., replies end at <|end|>)");
        Cli.Result plain = chat(base, "hi\n", "--greedy", "--max-new-tokens", "4");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).doesNotContain("chat template");
    }

    @Test
    void optionsThatDoNotApplyAndBadDataAreOneErrorLine() throws Exception {
        Path out = tmp.resolve("never");
        Cli.Result lm = Cli.run("finetune", "--task", "instruction", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString(), "--lm-weight", "0.5");
        assertThat(lm.exitCode()).isEqualTo(1);
        assertThat(lm.err().strip()).startsWith("error: --lm-weight does not apply to --task instruction");
        Cli.Result lora = Cli.run("finetune", "--task", "instruction", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString(), "--lora-rank", "4");
        assertThat(lora.exitCode()).isEqualTo(1);
        assertThat(lora.err().strip()).startsWith("error: --lora-rank is not supported with --task instruction");

        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\": \"What is 1 + 2?\", \"response\": \"3\"}\n{\"prompt\": \"What is 1 +");
        Cli.Result b = Cli.run("finetune", "--task", "instruction", "--model", base.toString(), "--train", bad.toString(),
                "--dev", dev.toString(), "--out", out.toString());
        assertThat(b.exitCode()).isEqualTo(1);
        assertThat(b.err().strip()).startsWith("error: " + bad + ":2: not valid JSON").doesNotContain("\n");
        assertThat(out.resolve("config.json")).doesNotExist();

        Path unknown = tmp.resolve("unknown.jsonl");
        Files.writeString(unknown, "{\"prompt\": \"Wh\u00e9t?\", \"response\": \"3\"}\n");
        Cli.Result u = Cli.run("finetune", "--task", "instruction", "--model", base.toString(), "--train", unknown.toString(),
                "--dev", dev.toString(), "--out", out.toString());
        assertThat(u.exitCode()).isEqualTo(1);
        assertThat(u.err()).startsWith("error: " + unknown + ":1: ").contains("not in the vocabulary");

        Cli.Result e = Cli.run("evaluate-instructions", "--model", base.toString(), "--data", bad.toString());
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.err()).startsWith("error: " + bad + ":2: ");
    }

    private static Cli.Result chat(Path model, String input, String... options) {
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
}
