package org.gpt4j.generate.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gpt4j.generate.LogitsProcessor;
import org.gpt4j.generate.NonFiniteLogitsException;
import org.gpt4j.generate.Sampler;
import org.gpt4j.model.KvCache;

/**
 * One choice of a request in the running batch: its own KV cache, token ids, logits processors,
 * random stream and text. Each step it chooses a token from the logits the last forward left it,
 * tells the listener what that settled, and says whether it goes on.
 */
final class Choice {

    final Job job;
    final int index;
    final KvCache cache;
    private final List<LogitsProcessor> processors;
    private final Sampler sampler;
    private final ChoiceText text;
    private final float[] logits;
    private int[] ids;
    private int length;
    private int generated;
    private final List<TokenLogprob> unsent = new ArrayList<>();

    Choice(Job job, int index, KvCache cache, float[] logits, List<LogitsProcessor> processors, Sampler sampler) {
        this.job = job;
        this.index = index;
        this.cache = cache;
        this.logits = logits;
        this.processors = processors;
        this.sampler = sampler;
        this.text = new ChoiceText(job.tokenizer(), job.request.stop());
        int p = job.request.promptLength();
        this.ids = Arrays.copyOf(job.request.prompt(), p + Math.min(job.request.maxTokens(), 64));
        this.length = p;
    }

    /** The row the next forward writes this choice's logits into. */
    float[] logits() {
        return logits;
    }

    /** The token the next forward reads (the last one chosen). */
    int lastToken() {
        return ids[length - 1];
    }

    // What choose() decided, for commit() to report.
    private int chosen;
    private TokenLogprob chosenLogprob;
    private RuntimeException failure;

    /**
     * Chooses the next token from the logits the last forward left: processors, then the
     * sampler. Touches only this choice, so the choices of a step may choose in parallel; the
     * listener hears nothing until {@link #commit}.
     */
    void choose() {
        try {
            NonFiniteLogitsException.check(logits, logits.length);
            float[] scores = processors.isEmpty() ? logits : logits.clone();
            for (LogitsProcessor processor : processors) {
                processor.process(ids, length, scores);
            }
            chosen = sampler.choose(scores);
            int top = job.request.logprobs();
            chosenLogprob = top >= 0 ? job.logprobs.of(chosen, logits, 0, logits.length, top) : null;
            failure = null;
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /**
     * Reports the token {@link #choose} chose (on the engine thread, choices in batch order);
     * returns false when the choice has finished and told the listener so. To go on, the cache
     * must hold room for the token.
     *
     * @throws RuntimeException what choosing threw (the request fails)
     */
    boolean commit() {
        if (failure != null) {
            throw failure;
        }
        int id = chosen;
        generated++;
        job.countToken();
        CompletionRequest r = job.request;
        if (r.stopTokenIds().contains(id)) {
            finish("stop");
            return false;
        }
        if (length == ids.length) {
            ids = Arrays.copyOf(ids, 2 * ids.length);
        }
        ids[length++] = id;
        unsent.add(chosenLogprob != null ? chosenLogprob : job.logprobs.bare(id));
        String delta = text.accept(id);
        if (text.stopped()) {
            send(delta);
            finish("stop");
            return false;
        }
        if (!delta.isEmpty()) {
            send(delta);
        }
        if (generated >= r.maxTokens() || cache.length() >= cache.maxCapacity()) {
            finish("length");
            return false;
        }
        return true;
    }

    /** Ends the choice as the request's beam search chose it. */
    void finishWith(int[] tokens, String reason) {
        for (int id : tokens) {
            generated++;
            job.countToken();
            unsent.add(job.logprobs.bare(id));
            String delta = text.accept(id);
            if (text.stopped()) {
                send(delta);
                finish("stop");
                return;
            }
            if (!delta.isEmpty()) {
                send(delta);
            }
        }
        finish(reason);
    }

    private void send(String delta) {
        job.listener.onDelta(index, delta, List.copyOf(unsent));
        unsent.clear();
    }

    private void finish(String reason) {
        String rest = text.finish();
        if (!rest.isEmpty() || !unsent.isEmpty()) {
            send(rest);
        }
        job.listener.onFinish(index, reason);
        job.choiceFinished();
    }
}
