package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.inspect.Inspection;
import org.gpt4j.inspect.InspectionJson;
import org.gpt4j.inspect.Inspector;
import org.gpt4j.inspect.TopTokens;
import org.gpt4j.io.BertConfigJson;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gpt4j inspect}: one traced forward pass — logits, loss, attention, hidden states — of a
 * GPT, or of a BERT directory ({@link BertInspect}).
 */
@Command(name = "inspect", header = "One traced forward pass: logits, loss, attention, hidden states.", mixinStandardHelpOptions = true,
        description = {"Run a model on one sequence and show what it computes: the next-token",
            "loss, the most probable next tokens, and with --json every logit, every attention",
            "probability (per layer and head) and every hidden state.",
            "",
            "On a BERT directory (model_type \"bert\"), --text is encoded as [CLS] text [SEP]",
            "([MASK] in it is the mask token) and --json prints tokens, token_type_ids,",
            "logits [T][V] (the masked-LM head's scores), seq_relationship_logits [2],",
            "attentions [L][H][T][T] (full, no causal zeros) and hidden_states [L+1][T][C]."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A model directory, or a model name (en-base: models/en-base).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--tokens", paramLabel = "IDS", split = ",", description = "Token ids, comma-separated: 5,17,3.")
        List<String> tokens;

        @Option(names = "--text", paramLabel = "TEXT", description = "Text, encoded with the directory's tokenizer.")
        String text;
    }

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "Next-token candidates to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print one JSON object: tokens, logits [T][V], loss (null when T = 1), "
            + "attentions [n_layer][n_head][T][T], hidden_states [n_layer+1][T][n_embd].")
    boolean json;

    @Option(names = "--token-types", paramLabel = "IDS", split = ",",
            description = "BERT only: segment ids per token, e.g. 0,0,1,1 (default: all 0, or 1 after the first [SEP] with --pair).")
    List<String> tokenTypes;

    @Option(names = "--pair", paramLabel = "TEXT", description = "BERT only: a second segment, encoded as [CLS] text [SEP] pair [SEP].")
    String pair;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        if (BertConfigJson.isBert(model)) {
            return new BertInspect(model, spec.commandLine().getOut()).run(input.text, input.tokens, pair, tokenTypes, top, json);
        }
        if (tokenTypes != null || pair != null) {
            throw new IllegalArgumentException((tokenTypes != null ? "--token-types" : "--pair") + " is for BERT directories; "
                    + model + " holds a GPT");
        }
        Gpt gpt = ModelDirectory.load(model);
        Tokenizer tokenizer = Tokenizers.loadIfPresent(model);
        int[] ids = input.text != null ? encode(tokenizer, input.text) : parseIds(input.tokens);
        Inspection inspection = Inspector.inspect(gpt, ids);
        if (json) {
            InspectionJson.write(inspection, spec.commandLine().getOut());
            return 0;
        }
        printSummary(spec.commandLine().getOut(), gpt.config(), inspection, tokenizer);
        return 0;
    }

    private int[] encode(Tokenizer tokenizer, String text) {
        if (tokenizer == null) {
            throw new IllegalArgumentException(model + " holds no tokenizer (vocab.json + merges.txt, tokenizer.json "
                    + "or a char vocabulary): give --tokens instead of --text");
        }
        int[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            throw new IllegalArgumentException("--text encodes to no tokens");
        }
        return ids;
    }

    static int[] parseIds(List<String> values) {
        int[] ids = new int[values.size()];
        for (int i = 0; i < ids.length; i++) {
            String v = values.get(i).trim();
            try {
                ids[i] = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tokens: '" + v + "' is not a token id (give integers like 5,17,3)");
            }
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("--tokens: give at least one token id");
        }
        return ids;
    }

    private void printSummary(PrintWriter w, GptConfig c, Inspection in, Tokenizer tokenizer) {
        int t = in.length();
        int v = in.vocabSize();
        w.printf(Locale.ROOT, "model      %s: %d layers x %d heads, %d wide, vocabulary %d, context %d%n",
                model, c.nLayer(), c.nHead(), c.nEmbd(), v, c.nPositions());
        StringBuilder tokens = new StringBuilder();
        for (int id : in.tokens()) {
            tokens.append(tokens.isEmpty() ? "" : " ").append(label(tokenizer, id));
        }
        w.printf(Locale.ROOT, "tokens     %d: %s%n", t, tokens);
        w.printf(Locale.ROOT, "logits     [%d][%d]%n", t, v);
        w.printf(Locale.ROOT, "attentions [%d][%d][%d][%d]%n", c.nLayer(), c.nHead(), t, t);
        w.printf(Locale.ROOT, "hidden     [%d][%d][%d]%n", c.nLayer() + 1, t, c.nEmbd());
        if (in.loss() != null) {
            w.printf(Locale.ROOT, "loss       %.4f (perplexity %.2f; a uniform guess scores %.4f)%n",
                    in.loss(), Math.exp(in.loss()), Math.log(v));
        } else {
            w.println("loss       none (one token predicts nothing inside the sequence)");
        }
        w.printf(Locale.ROOT, "next token after %s:%n", label(tokenizer, in.tokens()[t - 1]));
        for (TopTokens.Candidate cand : TopTokens.of(in.logits(), (t - 1) * v, v, Math.min(top, v))) {
            w.printf(Locale.ROOT, "  %9.4f%%  %6d  %s%n", 100 * cand.probability(), cand.id(), label(tokenizer, cand.id()));
        }
        w.flush();
    }

    private static String label(Tokenizer tokenizer, int id) {
        if (tokenizer == null) {
            return "#" + id;
        }
        return "'" + tokenizer.tokenText(id).replace("\n", "\\n").replace("\t", "\\t") + "'";
    }
}
