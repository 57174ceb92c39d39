package org.gpt4j.generate.batch;

/** The engine's queue holds as many requests as it may: try again later (HTTP 429). */
public final class QueueFullException extends RuntimeException {

    public QueueFullException(int capacity) {
        super("the server is busy: " + capacity + " requests are already waiting; try again shortly");
    }
}
