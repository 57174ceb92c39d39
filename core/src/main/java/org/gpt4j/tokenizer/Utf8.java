package org.gpt4j.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * UTF-8 details the tokenizers need beyond {@code new String(bytes, UTF_8)}: strict decoding of
 * input files that names the first bad byte, where a byte stream can be cut between characters,
 * a readable form of byte fragments, and strict encoding of a slice of text into a reused buffer.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** Reads a text file, failing with the byte offset of the first invalid UTF-8 sequence. */
    public static String readFile(Path file) throws IOException {
        return decodeStrict(Files.readAllBytes(file), file.toString());
    }

    /**
     * Decodes bytes that must be valid UTF-8; otherwise throws an IOException naming
     * {@code source}, the byte offset and the offending bytes.
     */
    public static String decodeStrict(byte[] bytes, String source) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int shown = Math.min(Math.max(result.length(), 1), bytes.length - offset);
            throw new IOException(source + ": not valid UTF-8 at byte offset " + offset + " (bytes "
                    + hex(bytes, offset, offset + shown) + ")");
        }
        out.flip();
        return out.toString();
    }

    /**
     * The length of the longest prefix of {@code bytes[0..length)} that ends between characters:
     * everything except a trailing, so-far-valid start of a multi-byte character.
     */
    static int completePrefixLength(byte[] bytes, int length) {
        for (int k = length - 1; k >= Math.max(0, length - 3); k--) {
            int b = bytes[k] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int need = sequenceLength(b);
            int have = length - k;
            if (need <= have) {
                return length;
            }
            return have >= 2 && !validSecondByte(b, bytes[k + 1] & 0xFF) ? length : k;
        }
        return length;
    }

    /** Bytes a sequence starting with lead byte {@code b} needs; 1 for ASCII and for bytes that cannot start one. */
    private static int sequenceLength(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            return 2;
        }
        if (b >= 0xE0 && b <= 0xEF) {
            return 3;
        }
        if (b >= 0xF0 && b <= 0xF4) {
            return 4;
        }
        return 1;
    }

    /**
     * Whether the JDK's UTF-8 decoder, seeing {@code lead, second} at the end of its input, waits
     * for more bytes (true) or has already decided the lead byte is malformed (false). It follows
     * Unicode's table 3-7 except for ED A0..BF (a surrogate): the JDK waits for the third byte
     * and then replaces all three with one U+FFFD, so the cut must wait too.
     */
    private static boolean validSecondByte(int lead, int second) {
        return switch (lead) {
            case 0xE0 -> second >= 0xA0 && second <= 0xBF;
            case 0xF0 -> second >= 0x90 && second <= 0xBF;
            case 0xF4 -> second >= 0x80 && second <= 0x8F;
            default -> second >= 0x80 && second <= 0xBF;
        };
    }

    /** Length of the complete, valid character at {@code i}, or 0. */
    private static int validCharLength(byte[] bytes, int i, int end) {
        int lead = bytes[i] & 0xFF;
        if (lead < 0x80) {
            return 1;
        }
        int need = sequenceLength(lead);
        if (need == 1 || i + need > end || !validSecondByte(lead, bytes[i + 1] & 0xFF)) {
            return 0;
        }
        for (int j = i + 2; j < i + need; j++) {
            if ((bytes[j] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return need;
    }

    /** Whole characters as text; every byte that is not part of one as {@code \xNN}. */
    public static String displayText(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int n = validCharLength(bytes, i, bytes.length);
            if (n == 0) {
                sb.append("\\x").append(HexFormat.of().withUpperCase().toHexDigits(bytes[i]));
                i++;
            } else {
                sb.append(new String(bytes, i, n, StandardCharsets.UTF_8));
                i += n;
            }
        }
        return sb.toString();
    }

    /** True when every byte belongs to a whole, valid character. */
    public static boolean isWhole(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int n = validCharLength(bytes, i, bytes.length);
            if (n == 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    static String hex(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(' ');
            }
            sb.append(HexFormat.of().withUpperCase().toHexDigits(bytes[i]));
        }
        return sb.toString();
    }

    /**
     * Writes the UTF-8 bytes of {@code s[from..to)} to {@code out} (at least 3 bytes per char)
     * and returns their number. Strict where {@code String.getBytes} would write '?': an unpaired
     * surrogate is not Unicode, so it is an IllegalArgumentException naming its index.
     */
    static int encode(char[] s, int from, int to, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                out[n++] = (byte) (0xE0 | c >> 12);
                out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s[i + 1])) {
                int cp = Character.toCodePoint(c, s[++i]);
                out[n++] = (byte) (0xF0 | cp >> 18);
                out[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                throw new IllegalArgumentException("text has an unpaired surrogate U+"
                        + Integer.toHexString(c).toUpperCase() + " at index " + i + " (not valid Unicode)");
            }
        }
        return n;
    }
}
