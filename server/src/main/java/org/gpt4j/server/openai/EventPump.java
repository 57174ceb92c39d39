package org.gpt4j.server.openai;

import java.util.concurrent.TimeUnit;
import org.gpt4j.server.openai.Generation.Delta;
import org.gpt4j.server.openai.Generation.Event;

/**
 * The HTTP thread's side of a {@link Generation}: waits for the engine's events and hands them to
 * a {@link Sink} (which collects an answer or writes a stream) until every prompt has ended. Every
 * {@value #PROBE_MILLIS} ms it checks that the client is still there; when it is not (or writing
 * to it failed) the generation is cancelled, so the batch slots go to requests someone still waits for.
 */
final class EventPump {

    /** How often a waiting request checks on its client. */
    private static final long PROBE_MILLIS = 200;

    /** Takes the events of one request. */
    interface Sink {
        void accept(Event event);

        /** Called after each run of events already queued (a stream flushes here). */
        default void drained() {
        }
    }

    private EventPump() {
    }

    /**
     * Runs until every prompt ended. Records the time to the first token against the request's
     * arrival ({@code startNanos}).
     *
     * @throws ClientGoneException when the client went away (the generation is then cancelled)
     */
    static void run(Generation generation, ClientConnection client, Sink sink, ServerMetrics metrics, String model,
            long startNanos) {
        boolean first = true;
        long probed = System.nanoTime();
        try {
            while (!generation.ended()) {
                Event e = generation.next(PROBE_MILLIS, TimeUnit.MILLISECONDS);
                // Checked every so often whether or not events come: a client waiting for a whole
                // answer hears nothing until the end, so only the probe can tell it left.
                if (System.nanoTime() - probed >= PROBE_MILLIS * 1_000_000L) {
                    probed = System.nanoTime();
                    if (!client.isOpen()) {
                        throw new ClientGoneException(null);
                    }
                }
                if (e == null) {
                    continue;
                }
                while (e != null) {
                    if (first && e instanceof Delta d && !d.tokens().isEmpty()) {
                        metrics.firstToken(model, System.nanoTime() - startNanos);
                        first = false;
                    }
                    sink.accept(e);
                    e = generation.ended() ? null : generation.poll();
                }
                sink.drained();
            }
        } catch (InterruptedException e) {
            generation.cancel();
            Thread.currentThread().interrupt();
            throw new ClientGoneException(e);
        } catch (RuntimeException e) {
            generation.cancel();
            throw e;
        }
    }
}
