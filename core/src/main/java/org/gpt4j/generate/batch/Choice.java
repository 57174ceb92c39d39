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

    /**
     * Chooses the next token and reports it; returns false when the choice has finished (and
     * has told the listener so). The cache must then hold room for one more position for it to
     * go on.
     */
    boolean step() {
        NonFiniteLogitsException.check(logits, logits.length);
        float[] scores = processors.isEmpty() ? logits : logits.clone();
        for (LogitsProcessor processor : processors) {
            processor.process(ids, length, scores);
        }
        int id = sampler.choose(scores);
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
        unsent.add(r.logprobs() >= 0 ? job.logprobs.of(id, logits, 0, logits.length, r.logprobs()) : job.logprobs.bare(id));
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
