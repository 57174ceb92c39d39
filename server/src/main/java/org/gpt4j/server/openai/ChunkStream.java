package org.gpt4j.server.openai;

import org.gpt4j.server.openai.Generation.Event;
import org.gpt4j.server.openai.Generation.Failed;
import org.gpt4j.server.openai.Generation.PromptDone;

/**
 * What the two streamed answers ({@link CompletionsStream}, {@link ChatStream}) share: the usage
 * summed over the prompts, the first failure, flushing what the events wrote once the pump has
 * drained them, and the end (the usage chunk when asked for, then {@code data: [DONE]}). A
 * subclass turns the events into its endpoint's chunks.
 */
abstract class ChunkStream implements EventPump.Sink {

    final SseStream sse;
    final ResponseMeta meta;
    private UsageBody usage = UsageBody.ZERO;
    private RuntimeException failure;

    ChunkStream(SseStream sse, ResponseMeta meta) {
        this.sse = sse;
        this.meta = meta;
    }

    /** Records a prompt's usage, or the first failure. */
    final void recordOutcome(Event event) {
        if (event instanceof PromptDone done) {
            usage = usage.plus(done.usage());
        } else if (event instanceof Failed f && failure == null) {
            failure = f.error();
        }
    }

    /** The chunk with no choices that carries the usage, in the endpoint's own shape. */
    abstract Object usageChunk(UsageBody usage);

    @Override
    public final void drained() {
        if (sse.hasPending()) {
            sse.flush();
        }
    }

    final RuntimeException failure() {
        return failure;
    }

    final UsageBody usage() {
        return usage;
    }

    /** The usage chunk when asked for, then {@code [DONE]}. */
    final void finish(boolean includeUsage) {
        if (includeUsage) {
            sse.event(usageChunk(usage));
        }
        sse.done();
    }
}
