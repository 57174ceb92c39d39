package org.gpt4j.server.openai;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes whole answers: a JSON body with its status, and the error object when an engine fails
 * in the middle of a stream (the status is already sent, so the error becomes the stream's last
 * event before {@code [DONE]}, as vLLM does).
 */
final class Answers {

    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    private Answers() {
    }

    static void json(Context ctx, int status, Object value) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(Json.bytes(value));
    }

    /** As {@link #json(Context, int, Object)}, closing the connection after when a probe used up a byte of it. */
    static void json(Context ctx, int status, Object value, ClientConnection client) {
        if (client.mustClose()) {
            ctx.header("Connection", "close");
        }
        json(ctx, status, value);
    }

    /** The engine failed after the stream began: logs it, sends the error object and ends the stream. */
    static void streamFailed(SseStream sse, RuntimeException error, String model) {
        LOG.error("the engine failed on a streamed request to {}", model, error);
        sse.event(OpenAiServer.internalError().body());
        sse.done();
    }
}
