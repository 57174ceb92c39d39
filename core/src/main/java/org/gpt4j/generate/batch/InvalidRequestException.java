package org.gpt4j.generate.batch;

/**
 * A request the engine cannot run as asked (a field out of range, a prompt longer than the
 * context window): the client's mistake, answered with HTTP 400 naming {@link #field()}.
 */
public final class InvalidRequestException extends IllegalArgumentException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault, in OpenAI's spelling (e.g. {@code max_tokens}). */
    public String field() {
        return field;
    }
}
