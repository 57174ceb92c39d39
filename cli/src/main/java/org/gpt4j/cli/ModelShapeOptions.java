package org.gpt4j.cli;

import org.gpt4j.model.Activation;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.LayerNormPlacement;
import org.gpt4j.model.PositionalEncoding;
import picocli.CommandLine.Option;

/** The flags that give a GPT's shape; shared by {@code init}, {@code params} and later commands. */
final class ModelShapeOptions {

    @Option(names = "--layers", paramLabel = "L", description = "Number of transformer blocks (n_layer), e.g. 12 for GPT-2; needed with --heads and --embd.")
    Integer layers;

    @Option(names = "--heads", paramLabel = "H", description = "Attention heads per block (n_head), e.g. 12 for GPT-2; must divide --embd.")
    Integer heads;

    @Option(names = "--embd", paramLabel = "D", description = "Width of the residual stream (n_embd), e.g. 768 for GPT-2; each head is --embd / --heads wide.")
    Integer embd;

    @Option(names = "--vocab", paramLabel = "V", description = "Vocabulary size (default: ${DEFAULT-VALUE}, GPT-2's).",
            defaultValue = "50257")
    int vocab;

    @Option(names = "--context", paramLabel = "T", description = "Context window, n_positions (default: ${DEFAULT-VALUE}).",
            defaultValue = "1024")
    int context;

    @Option(names = "--positions", paramLabel = "KIND",
            description = "Positional encoding: learned (GPT-2), sinusoidal (the Transformer) or none (default: ${DEFAULT-VALUE}).",
            defaultValue = "learned")
    String positions;

    @Option(names = "--layer-norm", paramLabel = "PLACE",
            description = "LayerNorm placement: pre (GPT-2) or post (GPT-1, the Transformer) (default: ${DEFAULT-VALUE}).",
            defaultValue = "pre")
    String layerNorm;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "Feed-forward activation: gelu_new, gelu or relu (default: ${DEFAULT-VALUE}).",
            defaultValue = "gelu_new")
    String activation;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout probability used in training (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    double dropout;

    boolean given() {
        return layers != null || heads != null || embd != null;
    }

    /** Builds the config; every size flag must be present. */
    GptConfig toConfig() {
        if (layers == null || heads == null || embd == null) {
            throw new IllegalArgumentException("give the model's shape: --layers, --heads and --embd are required");
        }
        int inner;
        try {
            inner = GptConfig.defaultInner(embd);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--embd " + embd + " is too large: the feed-forward layer is 4 x --embd wide,"
                    + " which must fit in an int (at most " + Integer.MAX_VALUE + "), so --embd is at most " + Integer.MAX_VALUE / 4);
        }
        return new GptConfig(layers, heads, embd, context, vocab, inner, 1e-5,
                Activation.fromConfigName(activation),
                PositionalEncoding.fromConfigName(positions),
                LayerNormPlacement.fromConfigName(layerNorm),
                dropout);
    }

    /**
     * The same flags as a BERT's shape (hidden_size = --embd, num_hidden_layers = --layers,
     * max_position_embeddings = --context): BERT's post-LN, exact GELU, 4x feed-forward, 2
     * segments, eps 1e-12; the GPT-only flags (--positions, --layer-norm, --activation) must keep
     * their defaults.
     */
    org.gpt4j.model.BertConfig toBertConfig() {
        if (layers == null || heads == null || embd == null) {
            throw new IllegalArgumentException("give the model's shape: --layers, --heads and --embd are required");
        }
        if (!positions.equals("learned") || !layerNorm.equals("pre") || !activation.equals("gelu_new")) {
            throw new IllegalArgumentException("--positions, --layer-norm and --activation are GPT options; a BERT has learned"
                    + " positions, post-LN and the exact GELU");
        }
        org.gpt4j.model.BertConfig base = org.gpt4j.model.BertConfig.of(vocab, embd, layers, heads);
        return new org.gpt4j.model.BertConfig(vocab, embd, layers, heads, base.intermediateSize(), context,
                base.typeVocabSize(), base.layerNormEps(), base.hiddenAct(), dropout);
    }
}
