package org.gpt4j.evaluate.code;

/** A problems or samples file that cannot be read as one: the message names the file and line. */
public final class CodeDataException extends IllegalArgumentException {

    public CodeDataException(String message) {
        super(message);
    }
}
