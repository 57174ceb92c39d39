package org.gpt4j.server.openai;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.gpt4j.generate.batch.StepObserver;

/**
 * The server's numbers for {@code GET /metrics}, in Prometheus' text format through Micrometer:
 * requests by endpoint and status and their latency; per model the prompt and generated tokens
 * (their {@code rate()} is tokens/s; {@code gpt4j_generation_tokens_per_second} is the last ten
 * seconds' rate for a glance without Prometheus), time to the first token, the queue and the
 * running batch, and every decoding step's batch size and duration (how well batching is doing);
 * and the JVM's memory and threads.
 */
public final class ServerMetrics {

    private static final Duration[] LATENCY_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
    private static final Duration[] STEP_BUCKETS = seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1);
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public ServerMetrics() {
        // The JVM's heap, collections and threads, so a soak test can see whether memory stays flat
        // (jvm_gc_live_data_size_bytes: what survives a full collection). Bound for the JVM's life.
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        @SuppressWarnings("resource")
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /** The registry's text, as Prometheus scrapes it. */
    public String scrape() {
        return registry.scrape();
    }

    /** One answered request: its endpoint (the route, or {@code other}), status and duration. */
    void request(String endpoint, int status, long nanos) {
        Counter.builder("gpt4j.requests").description("HTTP requests answered, by endpoint and status")
                .tags("endpoint", endpoint, "status", Integer.toString(status)).register(registry).increment();
        Timer.builder("gpt4j.request.duration").description("Time from a request's arrival to the end of its answer")
                .tags("endpoint", endpoint).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A completion request's token counts, once it has ended. */
    void tokens(String model, int prompt, int generated) {
        Counter.builder("gpt4j.prompt.tokens").description("Prompt tokens of finished requests")
                .tag("model", model).register(registry).increment(prompt);
        Counter.builder("gpt4j.generation.tokens").description("Tokens generated for finished requests")
                .tag("model", model).register(registry).increment(generated);
    }

    /** Time from a completion request's arrival to its first generated token. */
    void firstToken(String model, long nanos) {
        Timer.builder("gpt4j.time.to.first.token").description("Time from a request's arrival to its first token")
                .tag("model", model).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Gauges of a model's engine, and the observer its engine reports its steps to. */
    public StepObserver observe(String model) {
        DistributionSummary batch = DistributionSummary.builder("gpt4j.batch.size")
                .description("Sequences decoded together in one step").tag("model", model)
                .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
        Timer step = Timer.builder("gpt4j.step.duration").description("Time of one decoding step over the batch")
                .tag("model", model).serviceLevelObjectives(STEP_BUCKETS).register(registry);
        Counter prefillTokens = Counter.builder("gpt4j.prefill.tokens").description("Prompt tokens read (prefill)")
                .tag("model", model).register(registry);
        Timer prefill = Timer.builder("gpt4j.prefill.duration").description("Time of reading one prompt (prefill)")
                .tag("model", model).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        TokenRate rate = new TokenRate();
        Gauge.builder("gpt4j.generation.tokens.per.second", rate, TokenRate::perSecond)
                .description("Tokens generated per second over the last ten seconds").tag("model", model).register(registry);
        return new StepObserver() {
            @Override
            public void onStep(int size, long nanos) {
                batch.record(size);
                step.record(nanos, TimeUnit.NANOSECONDS);
                rate.add(size);
            }

            @Override
            public void onPrefill(int tokens, long nanos) {
                prefillTokens.increment(tokens);
                prefill.record(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    /** The queue depth and running batch size of a served model's engine. */
    void watch(ServedModel model) {
        Gauge.builder("gpt4j.queue.depth", model, m -> m.engine().queueDepth())
                .description("Requests waiting to start").tag("model", model.id()).register(registry);
        Gauge.builder("gpt4j.running.sequences", model, m -> m.engine().running())
                .description("Sequences in the running batch").tag("model", model.id()).register(registry);
    }

    private static Duration[] seconds(double... s) {
        Duration[] d = new Duration[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = Duration.ofNanos(Math.round(s[i] * 1e9));
        }
        return d;
    }
}
