package org.gpt4j.tokenizer;

import java.text.Normalizer;

/**
 * BERT's text normalisation and pre-tokenisation, as Hugging Face tokenizers' {@code BertNormalizer}
 * followed by {@code BertPreTokenizer} (what {@code BertTokenizer} runs since transformers 5):
 *
 * <ol>
 *   <li>clean: drop NUL, U+FFFD and the control characters (categories Cc, Cf, Co, but not tab, newline
 *       and carriage return); every whitespace character (Zs, U+2028, U+2029, tab, newline, CR) becomes
 *       a space;</li>
 *   <li>put spaces around each CJK ideograph ({@link #isChineseChar}: the blocks BERT lists), so that
 *       Chinese is tokenised character by character;</li>
 *   <li>strip accents (NFD, then drop the non-spacing marks Mn) when asked, by default exactly when
 *       lower-casing; then lower-case, one character at a time;</li>
 *   <li>split at whitespace, and split off every punctuation character as a word of its own
 *       (ASCII 33-47, 58-64, 91-96, 123-126, and the Unicode categories P*).</li>
 * </ol>
 *
 * <p>Where the Python {@code BertTokenizerLegacy} (the "slow" tokenizer of transformers 4) differs,
 * this follows the Rust one: the slow tokenizer lower-cases whole words (a final capital sigma
 * becomes ς, not σ) and also drops unassigned code points (Cn); both differences need unusual text.
 *
 * <p>Steps 1-2 cut the text into <em>chunks</em> (whitespace-separated runs, and each ideograph);
 * steps 3-4 depend only on the chunk, which lets {@link WordPieceTokenizer} cache a chunk's ids.
 */
final class BertBasicTokenizer {

    /** Receives one chunk or word: {@code s[from..to)}. */
    @FunctionalInterface
    interface Sink {
        void accept(char[] s, int from, int to);
    }

    private final boolean lowercase;
    private final boolean stripAccents;
    private final boolean handleChineseChars;

    BertBasicTokenizer(boolean lowercase, boolean stripAccents, boolean handleChineseChars) {
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.handleChineseChars = handleChineseChars;
    }

    /**
     * Cleans the text and passes each chunk to {@code sink}, in order. The chunk's characters lie in
     * a buffer that is reused for the next one.
     */
    void chunks(String text, Sink sink) {
        int n = text.length();
        char[] buf = new char[Math.min(n, 256) + 2];
        int len = 0;
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            i += width;
            if (cp < 0x80 && cp > ' ' && cp != 0x7F) {
                // Printable ASCII, the common case: neither removed, nor space, nor an ideograph.
                if (len == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                buf[len++] = (char) cp;
                continue;
            }
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                continue;
            }
            if (isWhitespace(cp) || (handleChineseChars && isChineseChar(cp))) {
                if (len > 0) {
                    sink.accept(buf, 0, len);
                    len = 0;
                }
                if (!isWhitespace(cp)) {
                    sink.accept(buf, 0, Character.toChars(cp, buf, 0));
                }
                continue;
            }
            if (len + 2 > buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            len += Character.toChars(cp, buf, len);
        }
        if (len > 0) {
            sink.accept(buf, 0, len);
        }
    }

    /** Normalises one chunk (accents, case) and passes its words (punctuation split off) to {@code sink}. */
    void words(char[] s, int from, int to, Sink sink) {
        char[] norm;
        int n;
        if (isAscii(s, from, to)) {
            // ASCII has no accents to strip, and lower-cases within ASCII.
            norm = new char[to - from];
            n = norm.length;
            for (int i = 0; i < n; i++) {
                char c = s[from + i];
                norm[i] = lowercase && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            }
        } else {
            String t = normalize(new String(s, from, to - from));
            norm = t.toCharArray();
            n = norm.length;
        }
        int start = 0;
        for (int i = 0; i < n; ) {
            int cp = Character.codePointAt(norm, i, n);
            int width = Character.charCount(cp);
            if (isPunctuation(cp)) {
                if (i > start) {
                    sink.accept(norm, start, i);
                }
                sink.accept(norm, i, i + width);
                start = i + width;
            }
            i += width;
        }
        if (n > start) {
            sink.accept(norm, start, n);
        }
    }

    /** Accent stripping, then lower-casing, as BertNormalizer orders them. */
    private String normalize(String t) {
        if (stripAccents) {
            String nfd = Normalizer.normalize(t, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(nfd.length());
            nfd.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(kept::appendCodePoint);
            t = kept.toString();
        }
        if (lowercase) {
            StringBuilder lower = new StringBuilder(t.length());
            t.codePoints().forEach(cp -> {
                if (cp == 0x130) {
                    lower.append("i\u0307"); // İ: the one character whose full lower case is two
                } else {
                    lower.appendCodePoint(Character.toLowerCase(cp));
                }
            });
            t = lower.toString();
        }
        return t;
    }

    private static boolean isAscii(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Removed by cleaning: Cc, Cf, Co (and lone surrogates), except tab, newline and carriage return. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    /** Turned into a space by cleaning: Rust's {@code char::is_whitespace} less the control characters removed first. */
    static boolean isWhitespace(int cp) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** BERT's punctuation: all non-alphanumeric printable ASCII, and every Unicode punctuation category. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        if (cp < 0x80) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /**
     * The CJK Unified Ideographs blocks BERT spaces out (its {@code _is_chinese_char}); Hangul,
     * kana and CJK punctuation are not among them.
     */
    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
