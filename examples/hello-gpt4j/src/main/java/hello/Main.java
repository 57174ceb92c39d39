package hello;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gpt4j.Gpt4j;
import org.gpt4j.Model;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.train.TrainingOptions;

/**
 * gpt4j from Java: trains a small character-level GPT on a text file for a few steps, loads it,
 * and generates from it, at once and streamed. The code between the markers is the README's
 * "Use it from Java" example.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: hello.Main TEXT_FILE");
            System.exit(2);
        }
        Path text = Path.of(args[0]);
        Path run = Files.createTempDirectory("hello-gpt4j").resolve("run");

        // --- README example ---
        TrainingOptions options = TrainingOptions.DEFAULTS.with(Map.of("layers", "2", "heads", "2", "embd", "64",
                "context", "64", "batch", "16", "steps", "80", "eval-every", "80", "eval-batches", "4"));
        Gpt4j.train(List.of(text), run, options);       // the flags of `gpt4j train`, without dashes

        Model model = Gpt4j.load(run);                  // any model directory: a run, models/en-base, GPT-2
        GenerationConfig config = GenerationConfig.builder()
                .maxNewTokens(80).doSample(true).temperature(0.8).seed(1).build();
        String once = model.generate("ROMEO:", config); // the continuation, all at once
        model.generate("ROMEO:", config, System.out::print);   // the same text, streamed as it is generated
        int[] ids = model.tokenize("ROMEO:");
        // --- end of README example ---

        System.out.println();
        System.out.println("tokens of \"ROMEO:\": " + Arrays.toString(ids));
        if (once.length() != 80) {
            throw new IllegalStateException("expected 80 characters, got " + once.length() + ": " + once);
        }
        System.out.println("hello-gpt4j: ok");
    }
}
