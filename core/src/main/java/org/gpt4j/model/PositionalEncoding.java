package org.gpt4j.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a token learns where it stands: GPT-2 learns a position embedding table ({@code wpe});
 * the original Transformer adds fixed sinusoids; {@code none} adds nothing, so only the causal
 * mask tells positions apart (the seeds' experiment of removing the position signal).
 */
public enum PositionalEncoding {
    LEARNED("learned"),
    /** PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)); added unscaled. */
    SINUSOIDAL("sinusoidal"),
    NONE("none");

    private final String configName;

    PositionalEncoding(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static PositionalEncoding fromConfigName(String name) {
        for (PositionalEncoding p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown position_encoding '" + name + "' (expected one of "
                + Arrays.stream(values()).map(PositionalEncoding::configName).collect(Collectors.joining(", ")) + ")");
    }
}
