package org.gpt4j.io;

import java.io.IOException;
import java.nio.file.Path;
import org.gpt4j.model.GptConfig;

/**
 * A Hugging Face style GPT-2 model directory: {@code config.json}, {@code model.safetensors}
 * and, when present, the tokenizer files.
 */
public final class ModelDirectory {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";

    private ModelDirectory() {
    }

    /** Reads only the config, without touching the weights. */
    public static GptConfig readConfig(Path dir) throws IOException {
        return GptConfigJson.read(dir.resolve(CONFIG));
    }
}
