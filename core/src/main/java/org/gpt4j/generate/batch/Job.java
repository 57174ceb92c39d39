package org.gpt4j.generate.batch;

import org.gpt4j.tokenizer.Tokenizer;

/** A submitted request as the engine tracks it: its listener, handle, and tokens so far. */
final class Job {

    final CompletionRequest request;
    final CompletionListener listener;
    final Completion handle;
    final Logprobs logprobs;
    private final Tokenizer tokenizer;
    private int running;
    private int completionTokens;

    Job(CompletionRequest request, CompletionListener listener, Tokenizer tokenizer, Logprobs logprobs) {
        this.request = request;
        this.listener = listener;
        this.handle = new Completion();
        this.tokenizer = tokenizer;
        this.logprobs = logprobs;
        this.running = request.n();
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    void countToken() {
        completionTokens++;
    }

    /** One choice ended; after the last, the listener hears the usage. */
    void choiceFinished() {
        if (--running == 0) {
            handle.markDone();
            listener.onComplete(new CompletionListener.Usage(request.promptLength(), completionTokens));
        }
    }

    /** The request failed: the listener hears it once and nothing after. */
    void fail(RuntimeException error) {
        if (!handle.done()) {
            handle.markDone();
            running = 0;
            listener.onError(error);
        }
    }

    /** Dropped after a cancel: no more calls. */
    void drop() {
        handle.markDone();
        running = 0;
    }
}
