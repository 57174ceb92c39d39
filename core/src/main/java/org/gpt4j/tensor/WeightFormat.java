package org.gpt4j.tensor;

import java.util.Locale;

/**
 * How a model's weight matrices are stored for inference. Training always uses {@link #F32}; the
 * compact formats trade a little accuracy for less memory traffic, which is what bounds decoding
 * speed on a CPU (every weight is read once per generated token).
 */
public enum WeightFormat {
    /** 32-bit floats, as trained: 4 bytes a weight. */
    F32(4),
    /** bfloat16: the top 16 bits of each float (8-bit exponent, 8-bit significand), rounded to
     *  nearest even. 2 bytes a weight. */
    BF16(2),
    /** Symmetric 8-bit integers with one float scale per output channel ({@code absmax / 127}):
     *  1 byte a weight. */
    INT8(1);

    private final int bytesPerWeight;

    WeightFormat(int bytesPerWeight) {
        this.bytesPerWeight = bytesPerWeight;
    }

    public int bytesPerWeight() {
        return bytesPerWeight;
    }

    /** The lower-case name used on the command line and in JSON: f32, bf16, int8. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code f32}, {@code bf16} or {@code int8} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static WeightFormat parse(String text) {
        for (WeightFormat f : values()) {
            if (f.label().equalsIgnoreCase(text.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown weight format '" + text + "' (expected f32, bf16 or int8)");
    }
}
