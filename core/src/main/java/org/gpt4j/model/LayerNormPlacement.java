package org.gpt4j.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where each block normalises. {@code pre} (GPT-2): x + f(LN(x)), with a final LayerNorm
 * {@code ln_f} before the unembedding. {@code post} (GPT-1, the original Transformer):
 * LN(x + f(x)), and no final LayerNorm.
 */
public enum LayerNormPlacement {
    PRE("pre"),
    POST("post");

    private final String configName;

    LayerNormPlacement(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static LayerNormPlacement fromConfigName(String name) {
        for (LayerNormPlacement p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown layer_norm_placement '" + name + "' (expected one of "
                + Arrays.stream(values()).map(LayerNormPlacement::configName).collect(Collectors.joining(", ")) + ")");
    }
}
