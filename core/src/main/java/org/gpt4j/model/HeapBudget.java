package org.gpt4j.model;

import java.util.Locale;

/**
 * Refuses, before anything is allocated, a model this JVM's heap cannot hold: one message with
 * the bytes needed and the {@code -Xmx} to give, instead of an {@link OutOfMemoryError} minutes
 * later. The sizes come from the config alone, in O(1) whatever n_layer is.
 */
public final class HeapBudget {

    /**
     * What one tensor costs beside its values: the array header, its {@link ParameterSpec} (name,
     * shape) and the map entries that find it. A generous round figure: it only matters for
     * absurd layer counts, where it keeps a million tiny tensors from passing as cheap.
     */
    static final long BYTES_PER_TENSOR = 512;

    private static final long GIB = 1L << 30;
    /** Past a pebibyte of heap, suggesting an -Xmx would be a joke. */
    private static final long MAX_SUGGESTED_GIB = 1L << 20;

    private HeapBudget() {
    }

    /**
     * The bytes the parameters of {@code c} take with {@code bytesPerValue} bytes per value, plus
     * the per-tensor overhead; {@link Long#MAX_VALUE} when that passes 2^63.
     */
    public static long parameterBytes(GptConfig c, int bytesPerValue) {
        try {
            long values = Math.multiplyExact(ParameterLayout.parameterCount(c), (long) bytesPerValue);
            return Math.addExact(values, Math.multiplyExact(ParameterLayout.tensorCount(c), BYTES_PER_TENSOR));
        } catch (ArithmeticException | IllegalArgumentException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The fp32 weights of {@code c}: refused up front when they cannot fit (see {@link #require}). */
    public static void requireWeights(GptConfig c, int bytesPerValue, String purpose) {
        require(parameterBytes(c, bytesPerValue), purpose + " a GPT of " + countText(c));
    }

    private static String countText(GptConfig c) {
        try {
            return String.format(Locale.ROOT, "%,d parameters", ParameterLayout.parameterCount(c));
        } catch (IllegalArgumentException e) {
            return "more than 2^63 parameters";
        }
    }

    /**
     * Checks that {@code bytes} more fit in the heap.
     *
     * @param what what needs them, e.g. "a GPT of 175,000,000,000 parameters (fp32 weights)"
     * @throws IllegalArgumentException saying how many bytes are needed and how to raise the heap
     */
    public static void require(long bytes, String what) {
        require(bytes, what, "choose a smaller model");
    }

    /**
     * As {@link #require(long, String)}, with {@code remedy} as the other way out than a larger
     * heap (e.g. "use a smaller --batch").
     */
    public static void require(long bytes, String what, String remedy) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        if (bytes <= free(rt, max)) {
            return;
        }
        // Garbage counts as used until a collection: make sure before refusing.
        System.gc();
        long free = free(rt, max);
        if (bytes <= free) {
            return;
        }
        long used = max - free;
        long suggested = bytes == Long.MAX_VALUE ? Long.MAX_VALUE
                : Math.max(1, (long) Math.ceil((used + bytes * 1.25) / GIB));
        // Close figures get more decimals, so that the need does not read as equal to the room.
        int decimals = 1;
        while (decimals < 4 && human(bytes, decimals).equals(human(free, decimals))) {
            decimals++;
        }
        throw new IllegalArgumentException(what + " needs " + human(bytes, decimals) + " of memory, more than the "
                + human(free, decimals) + " free in this JVM's heap (" + human(max) + " in all): "
                + (suggested > MAX_SUGGESTED_GIB
                        ? "no machine has that much; " + remedy
                        : "raise it with GPT4J_JAVA_OPTS=-Xmx" + suggested + "g, or " + remedy));
    }

    private static long free(Runtime rt, long max) {
        return max - (rt.totalMemory() - rt.freeMemory());
    }

    /** 1.5 GB, 512.0 MB: decimal units, as {@code params} prints sizes. */
    public static String human(long bytes) {
        return human(bytes, 1);
    }

    private static String human(long bytes, int decimals) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 9 EB";
        }
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f %s", v, units[u]);
    }
}
