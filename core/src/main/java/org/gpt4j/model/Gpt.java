package org.gpt4j.model;

/**
 * A GPT: token embedding + positions, a stack of decoder blocks, (final LayerNorm,) and the
 * unembedding tied to the token embedding.
 */
public final class Gpt {

    private final GptConfig config;
    private final Parameters parameters;

    public Gpt(GptConfig config, Parameters parameters) {
        if (!parameters.layout().specs().equals(ParameterLayout.of(config).specs())) {
            throw new IllegalArgumentException("parameters do not match the config's layout");
        }
        this.config = config;
        this.parameters = parameters;
    }

    public GptConfig config() {
        return config;
    }

    public Parameters parameters() {
        return parameters;
    }
}
