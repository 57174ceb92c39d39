package org.gpt4j.generate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Watches the generated text for stop strings. Matching runs on the UTF-8 bytes of the tokens, so
 * a stop string split across tokens (or inside one) is found the moment its last byte arrives.
 */
final class StopStrings {

    private final byte[][] stops;
    private final IntFunction<byte[]> tokenBytes;
    private byte[] text = new byte[64];
    private int length;

    StopStrings(List<String> stops, IntFunction<byte[]> tokenBytes) {
        this.stops = stops.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.tokenBytes = tokenBytes;
    }

    /** Appends a token's bytes; true when the text now contains a stop string it did not before. */
    boolean accept(int id) {
        byte[] bytes = tokenBytes.apply(id);
        if (length + bytes.length > text.length) {
            text = Arrays.copyOf(text, Math.max(2 * text.length, length + bytes.length));
        }
        int before = length;
        System.arraycopy(bytes, 0, text, length, bytes.length);
        length += bytes.length;
        for (byte[] stop : stops) {
            // Only a match ending in the new bytes is new.
            for (int start = Math.max(0, before - stop.length + 1); start + stop.length <= length; start++) {
                if (Arrays.equals(text, start, start + stop.length, stop, 0, stop.length)) {
                    return true;
                }
            }
        }
        return false;
    }
}
