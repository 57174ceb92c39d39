package org.gpt4j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;
import org.gpt4j.tokenizer.Tokenizer;

/** Text in and out of the generation commands. */
final class Prompts {

    private Prompts() {
    }

    /** The prompt's ids; an error when the directory has no tokenizer or the text is empty. */
    static int[] encode(Tokenizer tokenizer, String text, Path model) {
        if (tokenizer == null) {
            throw new IllegalArgumentException(model + " holds no tokenizer (vocab.json + merges.txt, tokenizer.json "
                    + "or a char vocabulary): give --tokens instead of --prompt");
        }
        int[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one character");
        }
        return ids;
    }

    /** The tokenizer's {@code <|endoftext|>}, when there is one and the model's vocabulary holds it. */
    static OptionalInt endOfText(Tokenizer tokenizer, org.gpt4j.model.Gpt gpt) {
        if (tokenizer == null) {
            return OptionalInt.empty();
        }
        OptionalInt eos = tokenizer.endOfTextId();
        return eos.isPresent() && eos.getAsInt() < gpt.config().vocabSize() ? eos : OptionalInt.empty();
    }

    /** The text of generated tokens; a final end-of-sequence token is not text and is left out. */
    static String text(Tokenizer tokenizer, int[] tokens, OptionalInt eos) {
        int n = tokens.length;
        if (n > 0 && eos.isPresent() && tokens[n - 1] == eos.getAsInt()) {
            n--;
        }
        return tokenizer.decode(Arrays.copyOf(tokens, n));
    }

    /** How a token appears in tables: its text quoted, or its id without a tokenizer. */
    static String label(Tokenizer tokenizer, int id) {
        if (tokenizer == null) {
            return "#" + id;
        }
        return "'" + tokenizer.tokenText(id).replace("\n", "\\n").replace("\t", "\\t") + "'";
    }
}
