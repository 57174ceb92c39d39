package org.gpt4j.tokenizer;

/**
 * GPT-2's pre-tokeniser, hand-written: splits text into the pieces that BPE then encodes one by
 * one, exactly as the regular expression
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 * does with Unicode classes ({@code \s} is Unicode White_Space, as in tiktoken and JTokkit).
 * A scanner instead of {@code java.util.regex} because this is the hot loop of encoding; the tests
 * check it against the regular expression on real and random text.
 *
 * <p>Unpaired surrogates count as "other" characters, as they do for the regular expression.
 */
public final class Gpt2PreTokenizer {

    static final byte OTHER = 0;
    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    static final byte SPACE = 3;

    /** The class of every BMP character, so that scanning never calls into Character. */
    private static final byte[] BMP_CLASS = new byte[0x10000];

    static {
        for (int c = 0; c < BMP_CLASS.length; c++) {
            BMP_CLASS[c] = classify(c);
        }
    }

    private Gpt2PreTokenizer() {
    }

    /** Returns the end (exclusive) of the piece that starts at {@code start}; {@code start < end}. */
    public static int pieceEnd(char[] s, int start, int end) {
        char c = s[start];
        if (c == '\'' && start + 1 < end) {
            int contraction = contractionEnd(s, start, end);
            if (contraction > 0) {
                return contraction;
            }
        }
        if (c == ' ' && start + 1 < end) {
            // " ?\p{L}+", " ?\p{N}+" and " ?[^\s\p{L}\p{N}]+" take one leading space along.
            byte next = classAt(s, start + 1, end);
            if (next != SPACE) {
                return runEnd(s, start + 1, end, next);
            }
        }
        byte cls = classAt(s, start, end);
        if (cls != SPACE) {
            return runEnd(s, start, end, cls);
        }
        int run = runEnd(s, start, end, SPACE);
        if (run == end || run - start == 1) {
            // "\s+(?!\S)" takes all trailing whitespace; a single space before text falls to "\s+".
            return run;
        }
        // "\s+(?!\S)" backs off one character so the last space can lead the next word.
        return run - 1;
    }

    private static int contractionEnd(char[] s, int start, int end) {
        char d = s[start + 1];
        if (d == 's' || d == 't' || d == 'm' || d == 'd') {
            return start + 2;
        }
        if (start + 2 < end) {
            char e = s[start + 2];
            if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) {
                return start + 3;
            }
        }
        return -1;
    }

    /** The end of the run of characters of class {@code cls} starting at {@code i}. */
    private static int runEnd(char[] s, int i, int end, byte cls) {
        while (i < end) {
            char c = s[i];
            if (Character.isSurrogate(c)) {
                int cp = codePointAt(s, i, end);
                if (classOf(cp) != cls) {
                    return i;
                }
                i += Character.charCount(cp);
            } else {
                if (BMP_CLASS[c] != cls) {
                    return i;
                }
                i++;
            }
        }
        return i;
    }

    private static byte classAt(char[] s, int i, int end) {
        char c = s[i];
        return Character.isSurrogate(c) ? classOf(codePointAt(s, i, end)) : BMP_CLASS[c];
    }

    /** Like Character.codePointAt, but an unpaired surrogate is returned as itself. */
    private static int codePointAt(char[] s, int i, int end) {
        char c = s[i];
        if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s[i + 1])) {
            return Character.toCodePoint(c, s[i + 1]);
        }
        return c;
    }

    static byte classOf(int cp) {
        return cp < 0x10000 ? BMP_CLASS[cp] : classify(cp);
    }

    private static byte classify(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            // Unicode White_Space, exactly as java.util.regex defines \s under UNICODE_CHARACTER_CLASS.
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SPACE;
            default -> (cp >= 0x9 && cp <= 0xD) || cp == 0x85 ? SPACE : OTHER;
        };
    }
}
