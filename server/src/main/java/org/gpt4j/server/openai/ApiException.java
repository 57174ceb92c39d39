package org.gpt4j.server.openai;

/**
 * A request the server answers with an error status and OpenAI's error object
 * {@code {"error": {"message", "type", "param", "code"}}}: thrown anywhere while a request is
 * handled, written by {@link OpenAiServer}'s exception mapper. The message is meant for the client
 * (never a stack trace).
 */
final class ApiException extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request_error";

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiException(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: a field the client got wrong ({@code param} names it, or null for the body as a whole). */
    static ApiException badRequest(String param, String message) {
        return new ApiException(400, INVALID_REQUEST, param, null, message);
    }

    /** 400 with OpenAI's code for a prompt that leaves no room in the context window. */
    static ApiException contextLengthExceeded(String param, String message) {
        return new ApiException(400, INVALID_REQUEST, param, "context_length_exceeded", message);
    }

    /** 404 for a model this server does not serve. */
    static ApiException modelNotFound(String model) {
        return new ApiException(404, INVALID_REQUEST, "model", "model_not_found",
                "The model `" + model + "` does not exist or is not served here (GET /v1/models lists them).");
    }

    int status() {
        return status;
    }

    /** The error object's body, in OpenAI's shape. */
    ErrorBody body() {
        return new ErrorBody(new ErrorBody.Error(getMessage(), type, param, code));
    }

    /** OpenAI's error response: {@code {"error": {...}}} with every field present (null when unknown). */
    record ErrorBody(Error error) {
        record Error(String message, String type, String param, String code) {
        }
    }
}
