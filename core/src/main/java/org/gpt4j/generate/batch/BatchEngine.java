package org.gpt4j.generate.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.gpt4j.generate.GeneratedSequence;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.Generator;
import org.gpt4j.generate.LogitsProcessor;
import org.gpt4j.generate.LogitsProcessors;
import org.gpt4j.generate.NonFiniteLogitsException;
import org.gpt4j.generate.LogitBias;
import org.gpt4j.generate.PresenceFrequencyPenalty;
import org.gpt4j.generate.Sampler;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.KvCache;
import org.gpt4j.tensor.Parallel;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Continuous batching over one model (see the package comment). One thread, started here, owns
 * the model: between steps it admits waiting requests while the batch has room (reading each
 * prompt in one prefill, shared by the request's n choices), then each step lets every running
 * choice choose its token and runs one {@link Gpt#decode} over those still going. Finished and
 * cancelled choices leave at once, freeing their slots.
 *
 * <p>Choice i of a request with seed s draws from {@code SplittableRandom(s + i * golden)}: choice 0
 * draws exactly what {@link Generator} draws for seed s, so a request gives the text of
 * {@code gpt4j generate} with the same settings. Beam search requests run alone on the engine
 * thread when admitted (a beam is not one sequence that can share a step).
 */
public final class BatchEngine implements AutoCloseable {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final Gpt gpt;
    private final Tokenizer tokenizer;
    private final EngineOptions options;
    private final StepObserver observer;
    private final Logprobs logprobs;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final List<Choice> batch = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile int running;

    /** Starts the engine thread; {@code gpt} belongs to it from now on (it is not thread-safe). */
    public BatchEngine(Gpt gpt, Tokenizer tokenizer, EngineOptions options, StepObserver observer) {
        if (tokenizer.vocabSize() > gpt.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens, the model "
                    + gpt.config().vocabSize());
        }
        this.gpt = gpt;
        this.tokenizer = tokenizer;
        this.options = options;
        this.observer = observer;
        this.logprobs = new Logprobs(tokenizer);
        this.thread = Thread.ofPlatform().name("gpt4j-engine").daemon(true).start(this::run);
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
        validate(request);
        Job job = new Job(request, listener, tokenizer, logprobs);
        synchronized (queue) {
            if (closed) {
                throw new IllegalStateException("the engine is shutting down");
            }
            boolean fitsNow = queue.isEmpty() && running + request.n() <= options.maxBatch();
            if (!fitsNow && queue.size() >= options.queueCapacity()) {
                throw new QueueFullException(options.queueCapacity());
            }
            queue.add(job);
        }
        return job.handle;
    }

    private void validate(CompletionRequest r) {
        int v = gpt.config().vocabSize();
        int ctx = contextWindow();
        for (int i = 0; i < r.promptLength(); i++) {
            int id = r.promptToken(i);
            if (id < 0 || id >= v) {
                throw new InvalidRequestException("prompt", "prompt token " + id + " at position " + i
                        + " is outside the vocabulary (" + v + " tokens)");
            }
        }
        // A prompt may fill the window when nothing is to follow it (max_tokens 0: scoring).
        if (r.promptLength() > ctx || (r.promptLength() == ctx && r.maxTokens() > 0)) {
            throw new InvalidRequestException("prompt", "this model's maximum context length is " + ctx
                    + " tokens; the prompt has " + r.promptLength() + ", which leaves no room for a completion");
        }
        for (int id : r.stopTokenIds()) {
            if (id < 0 || id >= v) {
                throw new InvalidRequestException("stop_token_ids", "stop token " + id + " is outside the vocabulary");
            }
        }
        for (int id : r.logitBias().keySet()) {
            if (id < 0 || id >= v) {
                throw new InvalidRequestException("logit_bias", "logit_bias token " + id + " is outside the vocabulary ("
                        + v + " tokens)");
            }
        }
        // Beam requests run alone, outside the batch; sampled choices each take a slot.
        if (r.numBeams() == 1 && r.n() > options.maxBatch()) {
            throw new InvalidRequestException("n", "n = " + r.n() + " exceeds the server's batch of "
                    + options.maxBatch() + " sequences");
        }
    }

    /** Requests waiting to start. */
    public int queueDepth() {
        return queue.size();
    }

    /** Sequences in the running batch. */
    public int running() {
        return running;
    }

    /** The model's context window (n_positions). */
    public int contextWindow() {
        return gpt.config().nPositions();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Stops taking requests, lets the running and queued ones finish, and stops the thread. */
    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!(closed && queue.isEmpty() && batch.isEmpty())) {
            try {
                admit();
                if (!batch.isEmpty()) {
                    step();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | OutOfMemoryError e) {
                RuntimeException error = e instanceof RuntimeException re ? re
                        : new IllegalStateException("out of memory: " + e.getMessage(), e);
                for (Choice c : batch) {
                    c.job.fail(error);
                }
                batch.clear();
            }
            running = batch.size();
        }
    }

    /** Takes waiting requests while the batch has room; waits a little for one when nothing runs. */
    private void admit() throws InterruptedException {
        if (batch.isEmpty()) {
            // Idle: wait for work, waking now and then to see whether close() was called.
            Job first = queue.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                return;
            }
            begin(first);
        }
        for (Job next = queue.peek(); next != null && (next.request.numBeams() > 1
                || batch.size() + next.request.n() <= options.maxBatch()); next = queue.peek()) {
            queue.remove(next);
            begin(next);
        }
    }

    private void begin(Job job) {
        if (job.handle.cancelled()) {
            job.drop();
            return;
        }
        try {
            start(job);
        } catch (RuntimeException e) {
            job.fail(e);
        }
        running = batch.size();
    }

    /** Reads the prompt once and puts the request's choices in the batch (or runs its beams). */
    private void start(Job job) {
        CompletionRequest r = job.request;
        if (r.numBeams() > 1 && r.maxTokens() > 0) {
            runBeams(job);
            return;
        }
        int p = r.promptLength();
        int v = gpt.config().vocabSize();
        long t0 = System.nanoTime();
        KvCache cache = KvCache.growing(gpt.config(), 1);
        int[] prompt = r.prompt();
        float[] last;
        if (r.promptLogprobs()) {
            ForwardResult all = gpt.forward(prompt, 1, p, cache);
            float[] logits = all.logits();
            List<TokenLogprob> scored = new ArrayList<>(p);
            scored.add(logprobs.bare(prompt[0]));
            int top = Math.max(0, r.logprobs());
            for (int i = 1; i < p; i++) {
                scored.add(logprobs.of(prompt[i], logits, (i - 1) * v, v, top));
            }
            last = Arrays.copyOfRange(logits, (p - 1) * v, p * v);
            job.listener.onPrompt(scored);
        } else {
            last = Arrays.copyOf(gpt.forwardLast(prompt, 1, p, cache).logits(), v);
        }
        NonFiniteLogitsException.check(last, v);
        observer.onPrefill(p, System.nanoTime() - t0);
        if (r.maxTokens() == 0) {
            for (int i = 0; i < r.n(); i++) {
                new Choice(job, i, null, null, List.of(), Sampler.greedy()).finishWith(new int[0], "length");
            }
            return;
        }
        long seed = r.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
        for (int i = 0; i < r.n(); i++) {
            KvCache own = i == r.n() - 1 ? cache : cache.copy();
            Sampler sampler = r.greedy() ? Sampler.greedy() : Sampler.categorical(new SplittableRandom(seed + i * GOLDEN));
            batch.add(new Choice(job, i, own, i == r.n() - 1 ? last : last.clone(), processors(r), sampler));
        }
    }

    private static List<LogitsProcessor> processors(CompletionRequest r) {
        List<LogitsProcessor> out = new ArrayList<>();
        if (!r.logitBias().isEmpty()) {
            out.add(new LogitBias(r.logitBias()));
        }
        if (r.presencePenalty() != 0 || r.frequencyPenalty() != 0) {
            out.add(new PresenceFrequencyPenalty(r.presencePenalty(), r.frequencyPenalty(), r.promptLength()));
        }
        out.addAll(LogitsProcessors.of(config(r, 1, 1)));
        return out;
    }

    /** The request as a {@link GenerationConfig} (the processors' and beam search's terms). */
    private static GenerationConfig config(CompletionRequest r, int beams, int sequences) {
        return GenerationConfig.builder()
                .maxNewTokens(r.maxTokens())
                .doSample(!r.greedy() && beams == 1)
                .temperature(r.greedy() ? 1 : r.temperature())
                .topK(r.topK())
                .topP(r.topP())
                .minP(r.minP())
                .repetitionPenalty(r.repetitionPenalty())
                .numBeams(beams)
                .numReturnSequences(sequences)
                .seed(r.seed().orElse(0))
                .build();
    }

    private void runBeams(Job job) {
        CompletionRequest r = job.request;
        long t0 = System.nanoTime();
        int room = contextWindow() - r.promptLength();
        GenerationConfig config = config(r, r.numBeams(), r.n()).toBuilder()
                .maxNewTokens(Math.min(r.maxTokens(), room))
                // every stop id ends a beam's hypothesis (sorted: a request's set has no order)
                .eosTokenIds(r.stopTokenIds().stream().sorted().toList())
                .build();
        List<GeneratedSequence> beams = new Generator(gpt, tokenizer::tokenBytes).generate(r.prompt(), config);
        observer.onPrefill(r.promptLength(), System.nanoTime() - t0);
        Set<Integer> stops = r.stopTokenIds();
        for (int i = 0; i < beams.size(); i++) {
            int[] tokens = beams.get(i).tokens();
            int end = 0;
            while (end < tokens.length && !stops.contains(tokens[end])) {
                end++;
            }
            Choice choice = new Choice(job, i, null, null, List.of(), Sampler.greedy());
            choice.finishWith(Arrays.copyOf(tokens, end), end < tokens.length ? "stop" : "length");
        }
    }

    /** True when the choice's request has ended (failed, or cancelled: then it is dropped now). */
    private static boolean leaves(Choice c) {
        if (c.job.handle.cancelled() && !c.job.handle.done()) {
            c.job.drop();
        }
        return c.job.handle.done();
    }

    /**
     * Every running choice chooses a token (in parallel: each touches only itself), reports it
     * (in batch order), and those still going read it in one forward.
     */
    private void step() {
        long t0 = System.nanoTime();
        batch.removeIf(BatchEngine::leaves);
        int size = batch.size();
        int v = gpt.config().vocabSize();
        Parallel.forRange(size, 4L * v, (from, to) -> {
            for (int i = from; i < to; i++) {
                batch.get(i).choose();
            }
        });
        Iterator<Choice> it = batch.iterator();
        while (it.hasNext()) {
            Choice c = it.next();
            if (leaves(c)) {
                it.remove();
                continue;
            }
            boolean goesOn;
            try {
                goesOn = c.commit();
            } catch (RuntimeException e) {
                c.job.fail(e);
                goesOn = false;
            }
            if (!goesOn) {
                it.remove();
            }
        }
        // A failed or cancelled request may still have choices that reported earlier in this pass.
        batch.removeIf(BatchEngine::leaves);
        if (!batch.isEmpty()) {
            int b = batch.size();
            int[] tokens = new int[b];
            KvCache[] caches = new KvCache[b];
            for (int i = 0; i < b; i++) {
                tokens[i] = batch.get(i).lastToken();
                caches[i] = batch.get(i).cache;
            }
            float[] logits = gpt.decode(tokens, caches).logits();
            for (int i = 0; i < b; i++) {
                System.arraycopy(logits, i * v, batch.get(i).logits(), 0, v);
            }
        }
        observer.onStep(size, System.nanoTime() - t0);
    }
}
