package org.gpt4j.server.openai;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Tokens per second over the last ten whole seconds: counts in one-second slots of a ring, each
 * slot tagged with its second so a stale one reads as zero. Added to on the engine thread, read
 * by a scrape; a step landing on a slot as it turns over may be lost, which a rate for the eye
 * can bear.
 */
final class TokenRate {

    private static final int SECONDS = 10;

    private final AtomicLongArray counts = new AtomicLongArray(SECONDS);
    private final AtomicLongArray stamps = new AtomicLongArray(SECONDS);

    void add(long tokens) {
        long now = System.nanoTime() / 1_000_000_000L;
        int slot = (int) (now % SECONDS);
        if (stamps.get(slot) != now) {
            stamps.set(slot, now);
            counts.set(slot, 0);
        }
        counts.addAndGet(slot, tokens);
    }

    /** The tokens of the ten seconds before the current one, per second. */
    double perSecond() {
        long now = System.nanoTime() / 1_000_000_000L;
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            long age = now - stamps.get(i);
            if (age >= 1 && age <= SECONDS) {
                sum += counts.get(i);
            }
        }
        return sum / (double) SECONDS;
    }
}
