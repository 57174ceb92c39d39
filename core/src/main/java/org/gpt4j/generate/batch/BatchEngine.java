package org.gpt4j.generate.batch;

import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;

/** Skeleton: the implementation lands next. */
public final class BatchEngine implements AutoCloseable {

    public BatchEngine(Gpt gpt, Tokenizer tokenizer, EngineOptions options, StepObserver observer) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Queues a request; the listener hears of it on the engine thread.
     *
     * @throws InvalidRequestException for a request this model cannot run (ids outside the
     *         vocabulary, a prompt that fills the context window, n above the batch size)
     * @throws QueueFullException when the queue is full
     * @throws IllegalStateException after close
     */
    public Completion submit(CompletionRequest request, CompletionListener listener) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Requests waiting to start. */
    public int queueDepth() {
        return 0;
    }

    /** Sequences in the running batch. */
    public int running() {
        return 0;
    }

    /** The model's context window (n_positions). */
    public int contextWindow() {
        return 0;
    }

    /** Stops taking requests, lets the running and queued ones finish, and stops the thread. */
    @Override
    public void close() {
    }
}
