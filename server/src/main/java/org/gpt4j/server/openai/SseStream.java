package org.gpt4j.server.openai;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events response as OpenAI streams it: each event one {@code data: JSON} line and
 * a blank line (no {@code event:} names, which OpenAI's clients would misread), ending with
 * {@code data: [DONE]}. Events are gathered and sent by {@link #flush}, so the tokens of one
 * engine step go out in one write. A client that went away shows as {@link ClientGoneException}.
 */
final class SseStream {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(4096);

    /** Starts the response: status 200 and the event-stream headers (nothing can change them after). */
    SseStream(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        // Proxies such as nginx would otherwise buffer the stream and deliver it at the end.
        ctx.res().setHeader("X-Accel-Buffering", "no");
        this.out = ctx.res().getOutputStream();
    }

    /** Queues one event holding {@code value} as JSON. */
    void event(Object value) {
        pending.writeBytes(DATA);
        pending.writeBytes(Json.bytes(value));
        pending.writeBytes(END);
    }

    boolean hasPending() {
        return pending.size() > 0;
    }

    /** Sends the queued events. */
    void flush() {
        try {
            pending.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        } finally {
            pending.reset();
        }
    }

    /** Sends the queued events and the final {@code data: [DONE]}. */
    void done() {
        pending.writeBytes(DONE);
        flush();
    }
}
