package org.gpt4j.rl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.finetune.TaskDataException;
import org.gpt4j.finetune.TextLines;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * PPO's prompts: a UTF-8 text file with one prompt per line (blank lines skipped), each encoded
 * once. Every problem is one {@link TaskDataException} naming the file and line: not UTF-8, a line
 * over 64 KiB, a prompt whose tokens and the response would not fit in the context, no prompts.
 */
public final class PromptFile {

    static final int MAX_LINE_BYTES = 1 << 16;

    /** The prompts as text and as token ids, in file order. */
    public record Prompts(List<String> text, List<int[]> tokens) {
    }

    private PromptFile() {
    }

    /**
     * @param responseTokens tokens each response adds after its prompt
     * @param context        the policy's n_positions
     */
    public static Prompts read(Path file, Tokenizer tokenizer, int responseTokens, int context) throws IOException {
        List<String> text = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        try (TextLines lines = TextLines.open(file, MAX_LINE_BYTES)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (line.isBlank()) {
                    continue;
                }
                int[] ids = tokenizer.encode(line);
                if (ids.length == 0) {
                    throw new TaskDataException(file, lines.number(), "the prompt encodes to no tokens");
                }
                if (ids.length + responseTokens > context) {
                    throw new TaskDataException(file, lines.number(), "a prompt of " + ids.length + " tokens and "
                            + responseTokens + " response tokens exceed the policy's context of " + context);
                }
                text.add(line);
                tokens.add(ids);
            }
        }
        if (tokens.isEmpty()) {
            throw new TaskDataException(file, 0, "holds no prompts (one per line)");
        }
        return new Prompts(text, tokens);
    }
}
