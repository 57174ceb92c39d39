package org.gpt4j.generate.batch;

/**
 * A submitted request, running or waiting: the handle a server keeps to cancel it when the
 * client goes away (its sequences leave the batch at the next step, freeing their slots).
 */
public final class Completion {

    private volatile boolean cancelled;
    private volatile boolean done;

    Completion() {
    }

    /** Stops the request at the next step; no further listener calls after that step. */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** True once the listener got onComplete or onError, or the request was cancelled and dropped. */
    public boolean done() {
        return done;
    }

    void markDone() {
        done = true;
    }
}
