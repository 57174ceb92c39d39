package org.gpt4j.server.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.gpt4j.generate.batch.BatchEngine;
import org.gpt4j.generate.batch.Completion;
import org.gpt4j.generate.batch.CompletionListener;
import org.gpt4j.generate.batch.CompletionRequest;
import org.gpt4j.generate.batch.TokenLogprob;

/**
 * One HTTP request's work in the engine: one engine request per prompt (a list of prompts is
 * several), their listener calls turned into {@link Event}s on one queue that the HTTP thread
 * reads. The listeners run on the engine's thread and only enqueue, so a slow client never holds
 * up a decoding step. Choices are numbered as OpenAI numbers them: prompt-major,
 * {@code prompt * n + choice}.
 */
final class Generation {

    /** What the engine said, in the order it said it. */
    sealed interface Event {
    }

    /** The prompt's tokens with their log-probabilities (only when asked, for echo). */
    record PromptRead(int prompt, List<TokenLogprob> tokens) implements Event {
    }

    /** New text and the tokens behind it for one choice. */
    record Delta(int choice, String text, List<TokenLogprob> tokens) implements Event {
    }

    /** One choice ended ({@code stop} or {@code length}). */
    record Finished(int choice, String reason) implements Event {
    }

    /** Every choice of one prompt ended: its token counts. */
    record PromptDone(int prompt, CompletionListener.Usage usage) implements Event {
    }

    /** The engine failed on one prompt. */
    record Failed(int prompt, RuntimeException error) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Completion> handles = new ArrayList<>();
    private final int choicesPerPrompt;
    private final int prompts;
    private int ended;

    private Generation(int prompts, int choicesPerPrompt) {
        this.prompts = prompts;
        this.choicesPerPrompt = choicesPerPrompt;
    }

    /**
     * Submits every request (all with the same n). When one is refused (queue full, invalid for
     * this model) the ones already submitted are cancelled and the refusal is thrown.
     */
    static Generation start(BatchEngine engine, List<CompletionRequest> requests) {
        Generation g = new Generation(requests.size(), requests.getFirst().n());
        try {
            for (int i = 0; i < requests.size(); i++) {
                g.handles.add(engine.submit(requests.get(i), g.listener(i)));
            }
        } catch (RuntimeException e) {
            g.cancel();
            throw e;
        }
        return g;
    }

    int choices() {
        return prompts * choicesPerPrompt;
    }

    int prompts() {
        return prompts;
    }

    /** The next event, or null when none came within the wait. */
    Event next(long timeout, TimeUnit unit) throws InterruptedException {
        Event e = events.poll(timeout, unit);
        count(e);
        return e;
    }

    /** The next event when one is already there, else null. */
    Event poll() {
        Event e = events.poll();
        count(e);
        return e;
    }

    private void count(Event e) {
        if (e instanceof PromptDone || e instanceof Failed) {
            ended++;
        }
    }

    /** True once every prompt has completed or failed (as read through {@link #next}). */
    boolean ended() {
        return ended == prompts;
    }

    /** Stops every prompt's sequences at the engine's next step (the client went away). */
    void cancel() {
        handles.forEach(Completion::cancel);
    }

    private CompletionListener listener(int prompt) {
        int base = prompt * choicesPerPrompt;
        return new CompletionListener() {
            @Override
            public void onPrompt(List<TokenLogprob> tokens) {
                events.add(new PromptRead(prompt, tokens));
            }

            @Override
            public void onDelta(int choice, String text, List<TokenLogprob> tokens) {
                events.add(new Delta(base + choice, text, tokens));
            }

            @Override
            public void onFinish(int choice, String finishReason) {
                events.add(new Finished(base + choice, finishReason));
            }

            @Override
            public void onComplete(Usage usage) {
                events.add(new PromptDone(prompt, usage));
            }

            @Override
            public void onError(RuntimeException error) {
                events.add(new Failed(prompt, error));
            }
        };
    }
}
