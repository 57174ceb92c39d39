package org.gpt4j.generate.batch;

/**
 * How much the engine takes on at once.
 *
 * @param maxBatch      sequences decoded together in one step (a request with n choices is n)
 * @param queueCapacity requests waiting to start beyond the running ones; more are refused
 */
public record EngineOptions(int maxBatch, int queueCapacity) {

    public EngineOptions {
        if (maxBatch < 1 || maxBatch > 1024) {
            throw new IllegalArgumentException("max batch must be in [1, 1024], got " + maxBatch);
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queue capacity must be >= 0, got " + queueCapacity);
        }
    }

    /** 16 sequences per step, 256 waiting. */
    public static EngineOptions defaults() {
        return new EngineOptions(16, 256);
    }
}
