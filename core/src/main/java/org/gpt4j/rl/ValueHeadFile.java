package org.gpt4j.rl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.io.SafetensorsWriter;

/**
 * A PPO policy's value head beside its model directory: {@code value_head.safetensors} holding
 * {@code v_head.summary.weight [1, n_embd]} (TRL's name for the head of
 * {@code AutoModelForCausalLMWithValueHead}; gpt4j's head has no bias). The model directory itself
 * stays a plain GPT-2 directory, so {@code generate} and transformers load the policy as they load
 * any GPT; {@code rl ppo --policy DIR} picks the head up again, so a tuned policy continues with
 * the critic it learnt instead of a new one.
 */
public final class ValueHeadFile {

    public static final String FILE = "value_head.safetensors";
    public static final String WEIGHT = "v_head.summary.weight";

    private ValueHeadFile() {
    }

    public static void save(ClassificationHead head, Path dir) throws IOException {
        if (head.labels() != 1) {
            throw new IllegalArgumentException("a value head has one row, this head has " + head.labels());
        }
        SafetensorsWriter.writeF32(dir.resolve(FILE), List.of(new NamedTensor(WEIGHT,
                new int[] {1, head.weight().length}, head.weight().clone())), Map.of("format", "pt"));
    }

    /**
     * The value head saved in {@code dir}, or empty when there is none.
     *
     * @throws ModelFormatException when the file is not a value head for {@code nEmbd}-wide states
     */
    public static Optional<ClassificationHead> load(Path dir, int nEmbd) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            if (!f.has(WEIGHT)) {
                throw new ModelFormatException(file, "no tensor '" + WEIGHT + "' (it holds " + f.names() + ")");
            }
            int[] shape = f.shape(WEIGHT);
            if (!Arrays.equals(shape, new int[] {1, nEmbd})) {
                throw new ModelFormatException(file, "'" + WEIGHT + "' has shape " + Arrays.toString(shape)
                        + ", the policy needs [1, " + nEmbd + "]");
            }
            return Optional.of(ClassificationHead.of(1, nEmbd, f.readFloats(WEIGHT)));
        }
    }
}
