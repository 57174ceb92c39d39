package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInit;
import org.gpt4j.model.BertLayout;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j init}: a randomly initialised GPT-2 (or, with --arch bert, BERT) model directory. */
@Command(name = "init", header = "Write a randomly initialised GPT-2 (or BERT) model directory.", mixinStandardHelpOptions = true,
        description = {"Write a randomly initialised GPT as a Hugging Face GPT-2 directory",
            "(config.json + model.safetensors), with GPT-2's initialisation: N(0, 0.02),",
            "residual projections scaled by 1/sqrt(2 n_layer). The same seed gives the same weights.",
            "With --arch bert: a BertForPreTraining directory (the layout every BERT save writes),",
            "BERT's initialisation N(0, 0.02); --context is max_position_embeddings, and",
            "--tokenizer DIR copies its vocab.txt beside the weights."})
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

    @Option(names = "--tokenizer", paramLabel = "NAME|DIR",
            description = "Tokenizer files to put beside the weights: gpt2 (the default when --vocab is 50257), "
                    + "a directory holding a tokenizer, or none (the default otherwise).")
    String tokenizer;

    @Option(names = "--arch", paramLabel = "gpt|bert", defaultValue = "gpt", description = "gpt or bert (default: ${DEFAULT-VALUE}).")
    String arch;

    @Override
    public Integer call() throws Exception {
        if (arch.equals("bert")) {
            return initBert();
        }
        if (!arch.equals("gpt")) {
            throw new IllegalArgumentException("--arch must be gpt or bert, got '" + arch + "'");
        }
        GptConfig config = shape.toConfig();
        if (Files.exists(out.resolve(ModelDirectory.CONFIG)) && !force) {
            throw new IllegalArgumentException(out + " already holds a model (config.json); use --force to replace it");
        }
        Tokenizer tok = chooseTokenizer(config);
        Gpt gpt = GptInit.randomGpt(config, seed);
        ModelDirectory.save(gpt, out);
        if (tok != null) {
            Tokenizers.save(tok, out);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote a %,d-parameter GPT (%d layers, %d heads, %d wide, context %d, vocabulary %d) to %s%n",
                ParameterLayout.of(config).totalCount(), config.nLayer(), config.nHead(), config.nEmbd(),
                config.nPositions(), config.vocabSize(), out);
        if (tok != null) {
            w.printf(Locale.ROOT, "with a %,d-token tokenizer, so --text works on it%n", tok.vocabSize());
        }
        w.flush();
        return 0;
    }

    private Tokenizer chooseTokenizer(GptConfig config) throws java.io.IOException {
        String choice = tokenizer != null ? tokenizer : config.vocabSize() == 50257 ? Tokenizers.GPT2 : "none";
        if (choice.equals("none")) {
            return null;
        }
        Tokenizer tok = Tokenizers.resolve(choice);
        if (tok.vocabSize() != config.vocabSize()) {
            throw new IllegalArgumentException("--tokenizer " + choice + " has " + tok.vocabSize()
                    + " tokens but --vocab is " + config.vocabSize());
        }
        return tok;
    }

    private int initBert() throws java.io.IOException {
        BertConfig config = shape.toBertConfig();
        if (Files.exists(out.resolve(ModelDirectory.CONFIG)) && !force) {
            throw new IllegalArgumentException(out + " already holds a model (config.json); use --force to replace it");
        }
        Tokenizer tok = null;
        if (tokenizer != null && !tokenizer.equals("none")) {
            tok = Tokenizers.resolve(tokenizer);
            if (!(tok instanceof WordPieceTokenizer)) {
                throw new IllegalArgumentException("--tokenizer " + tokenizer + " is not a WordPiece vocab.txt directory (a BERT needs one)");
            }
            if (tok.vocabSize() != config.vocabSize()) {
                throw new IllegalArgumentException("--tokenizer " + tokenizer + " has " + tok.vocabSize()
                        + " tokens but --vocab is " + config.vocabSize());
            }
        }
        Bert bert = BertInit.randomBert(config, seed);
        BertDirectory.save(bert, out);
        if (tok != null) {
            Tokenizers.save(tok, out);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote a %,d-parameter BERT (%d layers, %d heads, %d wide, %d positions, vocabulary %d) to %s%n",
                BertLayout.of(config).totalCount(), config.numHiddenLayers(), config.numAttentionHeads(), config.hiddenSize(),
                config.maxPositionEmbeddings(), config.vocabSize(), out);
        w.flush();
        return 0;
    }
}
