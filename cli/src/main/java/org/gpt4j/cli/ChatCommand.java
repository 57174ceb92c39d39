package org.gpt4j.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.instruct.InstructionModelDirectory;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.Generator;
import org.gpt4j.io.ModelNames;
import org.gpt4j.generate.NonFiniteLogitsException;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j chat}: an interactive loop over standard input, replies streamed as they are generated. */
@Command(name = "chat", header = "Talk to a model interactively, with streaming replies.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Talk to a model: each line you type joins the conversation, which the model continues",
            "with its reply, streamed as it is generated. A model instruction-tuned by gpt4j (finetune",
            "--task instruction) is spoken to in its stored chat template and replies until <|end|>; any",
            "other continues a 'User: ... / Assistant:' transcript until a newline or <|endoftext|>. Either",
            "way a reply stops at --max-new-tokens, and the oldest messages leave the prompt when the",
            "conversation outgrows the context window. Type /help for the commands that change the sampling settings.",
            "Defaults: temperature 0.8, top-k 40, top-p 0.95, repetition penalty 1.1, 100 new tokens."})
final class ChatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    WeightsOption weights;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A model directory with a tokenizer, or a model name (en-base: models/en-base).")
    Path model;

    @Option(names = "--system", paramLabel = "TEXT",
            description = "A system message that opens the conversation (and stays after /reset).")
    String system;

    @Mixin
    AdapterOption adapter;

    @Mixin
    DecodingOptions decoding;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        if (decoding.beams != null && decoding.beams > 1) {
            throw new IllegalArgumentException("chat streams its replies: --beams is not supported (use generate)");
        }
        Gpt gpt = adapter.loadLanguageModel(model, weights.format);
        if (!Tokenizers.isPresent(model)) {
            throw new IllegalArgumentException(model + " holds no tokenizer (vocab.json + merges.txt, tokenizer.json "
                    + "or a char vocabulary): chat reads and writes text");
        }
        Tokenizer tokenizer = Tokenizers.load(model);
        var selected = InstructionModelDirectory.chatFormat(model, tokenizer, Prompts.endOfText(tokenizer, gpt));
        if (selected.note() != null) {
            spec.commandLine().getErr().println("note: " + selected.note());
        }
        GenerationConfig.Builder defaults = GenerationConfig.builder().maxNewTokens(100).repetitionPenalty(1.1)
                .eosTokenId(selected.format().endOfTurn());
        if (!decoding.greedy) {
            defaults.doSample(true).temperature(0.8).topK(40).topP(0.95);
        }
        GenerationConfig config = decoding.applyTo(defaults).build();
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            new ChatSession(new Generator(gpt, tokenizer::tokenBytes), tokenizer, selected.format(), gpt.config().nPositions(),
                    system, config, new SplittableRandom(config.seed()), out).run(in);
        } catch (NonFiniteLogitsException e) {
            throw new IllegalStateException(model + ": " + e.getMessage(), e);
        }
        return 0;
    }
}
