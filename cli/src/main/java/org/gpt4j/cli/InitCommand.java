package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.ParameterLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j init}: a randomly initialised GPT-2 model directory. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write a randomly initialised GPT as a Hugging Face GPT-2 directory",
            "(config.json + model.safetensors), with GPT-2's initialisation: N(0, 0.02),",
            "residual projections scaled by 1/sqrt(2 n_layer). The same seed gives the same weights."})
final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelShapeOptions shape;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1337", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The model directory to create.")
    Path out;

    @Option(names = "--force", description = "Replace a model already in --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        GptConfig config = shape.toConfig();
        if (Files.exists(out.resolve(ModelDirectory.CONFIG)) && !force) {
            throw new IllegalArgumentException(out + " already holds a model (config.json); use --force to replace it");
        }
        Gpt gpt = GptInit.randomGpt(config, seed);
        ModelDirectory.save(gpt, out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote a %,d-parameter GPT (%d layers, %d heads, %d wide, context %d, vocabulary %d) to %s%n",
                ParameterLayout.of(config).totalCount(), config.nLayer(), config.nHead(), config.nEmbd(),
                config.nPositions(), config.vocabSize(), out);
        w.flush();
        return 0;
    }
}
