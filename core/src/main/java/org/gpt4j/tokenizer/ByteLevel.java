package org.gpt4j.tokenizer;

/**
 * GPT-2's {@code bytes_to_unicode}: the reversible map from the 256 byte values to 256 printable
 * characters that vocab.json and merges.txt use to spell byte-level tokens (a space is {@code Ġ},
 * a newline {@code Ċ}). Printable Latin-1 bytes stand for themselves; the other 68 bytes take the
 * characters from U+0100 upwards, in byte order.
 */
public final class ByteLevel {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by character (all of them are below U+0144); -1 where a character spells no byte. */
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The character that spells byte {@code b} (0..255) in vocab.json. */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a vocab.json character stands for, or -1 if the character is not in the alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Spells raw bytes the way vocab.json does. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** The raw bytes of a vocab.json spelling, or null if it has a character outside the alphabet. */
    public static byte[] decode(String spelled) {
        byte[] out = new byte[spelled.length()];
        for (int i = 0; i < out.length; i++) {
            int b = byteOf(spelled.charAt(i));
            if (b < 0) {
                return null;
            }
            out[i] = (byte) b;
        }
        return out;
    }
}
