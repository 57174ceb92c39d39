package org.gpt4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file is not what it should be: truncated, malformed, or contradicting another file.
 * The message always names the file and the problem, in one line a user can act on.
 */
public class ModelFormatException extends IOException {

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
