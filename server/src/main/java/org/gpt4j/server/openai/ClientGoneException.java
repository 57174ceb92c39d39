package org.gpt4j.server.openai;

/**
 * The client closed the connection before its answer was complete: the request's sequences are
 * cancelled and nothing more is written.
 */
final class ClientGoneException extends RuntimeException {

    ClientGoneException(Throwable cause) {
        super("the client closed the connection", cause, false, false);
    }
}
