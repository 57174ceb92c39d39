package org.gpt4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tensor.WeightFormat;
import picocli.CommandLine.Option;

/** {@code --weights f32|bf16|int8}: how the commands that only run a model store its weight matrices. */
final class WeightsOption {

    @Option(names = "--weights", paramLabel = "FORMAT", converter = WeightFormatConverter.class, defaultValue = "f32",
            description = "Weight matrices as f32 (as trained), bf16 or int8 (one scale per output channel): "
                    + "a bf16 or int8 copy reads 2x or 4x fewer bytes per generated token (faster decoding) "
                    + "for a small change in the logits (default: ${DEFAULT-VALUE}).")
    WeightFormat format;

    Gpt load(Path model) throws IOException {
        return ModelDirectory.load(model, format);
    }
}
