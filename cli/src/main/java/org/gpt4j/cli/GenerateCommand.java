package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.gpt4j.generate.FinishReason;
import org.gpt4j.generate.GeneratedSequence;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.GenerationStep;
import org.gpt4j.generate.Generator;
import org.gpt4j.generate.NonFiniteLogitsException;
import org.gpt4j.generate.TextStreamer;
import org.gpt4j.generate.TokenListener;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j generate}: continue a prompt with greedy search, sampling or beam search. */
@Command(name = "generate", header = "Continue a prompt: greedy, sampling or beam search.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue a prompt. Greedy by default; any sampling option samples (Hugging Face's",
            "order: repetition penalty, temperature, top-k, top-p, min-p, typical-p); --beams N runs beam",
            "search. Past the context window the oldest tokens slide out (the last 3/4 window stays)."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    WeightsOption weights;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A model directory, or a model name (en-base: models/en-base).")
    Path model;

    @Mixin
    AdapterOption adapter;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt, encoded with the directory's tokenizer.")
        String prompt;

        @Option(names = "--tokens", paramLabel = "IDS", split = ",", description = "The prompt as token ids: 5,17,3.")
        List<String> tokens;
    }

    @Mixin
    DecodingOptions decoding;

    @Option(names = "--num-return-sequences", paramLabel = "K", defaultValue = "1",
            description = "Sequences to return: the K best beams, or K samples (default: ${DEFAULT-VALUE}).")
    int numReturnSequences;

    @Option(names = "--stream", description = "Print the text as it is generated.")
    boolean stream;

    @Option(names = "--show-candidates", paramLabel = "K", defaultValue = "0",
            description = "At every step, print the top K candidates' probabilities before and after each filter, and the token chosen (default: ${DEFAULT-VALUE}, none).")
    int showCandidates;

    @Option(names = "--json", description = "Print {\"tokens\": [new ids], \"text\": \"...\"} (a list of them when K > 1).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        if (json && (stream || showCandidates > 0)) {
            throw new IllegalArgumentException("--json prints one result at the end: leave out " + (stream ? "--stream" : "--show-candidates"));
        }
        if (showCandidates < 0) {
            throw new IllegalArgumentException("--show-candidates must be >= 0, got " + showCandidates);
        }
        boolean beams = decoding.beams != null && decoding.beams > 1;
        if (beams && (stream || showCandidates > 0)) {
            throw new IllegalArgumentException((stream ? "--stream" : "--show-candidates")
                    + " needs one running sequence: beam search settles its tokens only at the end");
        }
        Gpt gpt = adapter.loadLanguageModel(model, weights.format);
        Tokenizer tokenizer = Tokenizers.loadIfPresent(model);
        int[] prompt = input.prompt != null ? Prompts.encode(tokenizer, input.prompt, model) : InspectCommand.parseIds(input.tokens);
        GenerationConfig.Builder builder = GenerationConfig.builder().numReturnSequences(numReturnSequences);
        if (decoding.eosTokenId == null) {
            builder.eosTokenId(Prompts.endOfText(tokenizer, gpt));
        }
        GenerationConfig config = decoding.applyTo(builder).build();
        Generator generator = new Generator(gpt, tokenizer == null ? null : tokenizer::tokenBytes);

        PrintWriter out = spec.commandLine().getOut();
        TokenListener listener = listener(out, tokenizer, config.eosTokenId());
        if (stream && !json && tokenizer != null && input.prompt != null) {
            out.print(input.prompt);
            out.flush();
        }
        List<GeneratedSequence> result;
        try {
            result = generator.generate(prompt, config, listener, showCandidates);
        } catch (NonFiniteLogitsException e) {
            throw new IllegalStateException(model + ": " + e.getMessage(), e);
        }
        if (json) {
            printJson(out, result, tokenizer, config.eosTokenId());
        } else if (!stream) {
            printText(out, result, tokenizer, config.eosTokenId());
        }
        out.flush();
        return 0;
    }

    private TokenListener listener(PrintWriter out, Tokenizer tokenizer, OptionalInt eos) {
        if (!stream && showCandidates == 0) {
            return TokenListener.NONE;
        }
        TextStreamer text = stream && tokenizer != null ? new TextStreamer(tokenizer, eos, s -> {
            out.print(s);
            out.flush();
        }) : null;
        return new TokenListener() {
            @Override
            public void onToken(int sequence, int id) {
                if (text != null) {
                    text.onToken(sequence, id);
                } else if (stream) {
                    out.print(" " + id);
                    out.flush();
                }
            }

            @Override
            public void onStep(int sequence, GenerationStep step) {
                CandidateTable.print(out, sequence, step, tokenizer);
            }

            @Override
            public void onEnd(int sequence, FinishReason reason) {
                if (text != null) {
                    text.onEnd(sequence, reason);
                }
                if (stream) {
                    out.println();
                    out.flush();
                }
            }
        };
    }

    private void printText(PrintWriter out, List<GeneratedSequence> result, Tokenizer tokenizer, OptionalInt eos) {
        for (int i = 0; i < result.size(); i++) {
            GeneratedSequence s = result.get(i);
            if (result.size() > 1) {
                out.printf(Locale.ROOT, "--- %d/%d (score %.4f, %s)%n", i + 1, result.size(), s.score(), s.reason());
            }
            if (tokenizer == null) {
                out.println(Arrays.toString(s.tokens()));
            } else {
                out.println((input.prompt != null ? input.prompt : "") + Prompts.text(tokenizer, s.tokens(), eos));
            }
        }
    }

    private static void printJson(PrintWriter out, List<GeneratedSequence> result, Tokenizer tokenizer, OptionalInt eos)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode list = mapper.createArrayNode();
        for (GeneratedSequence s : result) {
            ObjectNode o = list.addObject();
            ArrayNode ids = o.putArray("tokens");
            Arrays.stream(s.tokens()).forEach(ids::add);
            o.put("text", tokenizer == null ? null : Prompts.text(tokenizer, s.tokens(), eos));
        }
        out.println(mapper.writeValueAsString(list.size() == 1 ? list.get(0) : list));
    }
}
