package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j export}: a model (or a training run's weights) as a clean model directory, f32 or bf16. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Write a model as a clean Hugging Face GPT-2 directory, in f32 or bf16.",
        description = {"Write a model directory (or the model in a training run directory, or its best/) as a",
            "clean GPT-2 directory: config.json, model.safetensors and the tokenizer files, without the",
            "run's optimiser state, token cache or metrics. --dtype bf16 rounds every weight to bfloat16",
            "(nearest, ties to even): half the bytes, the form a model ships in; every command loads it."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model or run directory to export.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The directory to write.")
    Path out;

    @Option(names = "--dtype", paramLabel = "f32|bf16", defaultValue = "bf16",
            description = "Weights as f32 or bf16 (default ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--force", description = "Replace a model already in --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!dtype.equals("f32") && !dtype.equals("bf16")) {
            throw new IllegalArgumentException("--dtype must be f32 or bf16, got '" + dtype + "'");
        }
        if (Files.exists(out.resolve(ModelDirectory.CONFIG)) && !force) {
            throw new IllegalArgumentException(out + " already holds a model (config.json); use --force to replace it");
        }
        if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from --model");
        }
        Gpt gpt = ModelDirectory.load(model);
        boolean hasTokenizer = Tokenizers.isPresent(model);
        ModelDirectory.save(gpt, out, dtype.equals("bf16"));
        if (hasTokenizer) {
            Tokenizers.save(Tokenizers.load(model), out);
        }
        long bytes = Files.size(out.resolve(ModelDirectory.WEIGHTS));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %s (%s weights, %.1f MB%s)%n", out, dtype, bytes / 1e6,
                hasTokenizer ? ", with its tokenizer" : ", no tokenizer in " + model);
        w.flush();
        return 0;
    }
}
