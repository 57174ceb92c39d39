package org.gpt4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One token per character (Unicode code point), as nanoGPT's shakespeare_char: the vocabulary is
 * the sorted distinct characters of a corpus (65 for Tiny Shakespeare), id = position in that
 * order.
 *
 * <p><b>Characters outside the vocabulary</b> at encode time: by default an
 * IllegalArgumentException naming the character, its code point and its index, because silently
 * mapping it would train or prompt the model on text the user did not write. A vocabulary built
 * with an unknown character (U+FFFD unless the corpus chose another) encodes them as that
 * character's id instead.
 */
public final class CharTokenizer implements Tokenizer {

    /** Stands for characters outside the vocabulary when an unknown token is requested. */
    public static final int REPLACEMENT = 0xFFFD;

    private final int[] codePoints;
    private final int[] bmpIds;
    private final Map<Integer, Integer> supplementaryIds = new HashMap<>();
    private final int unknownId;

    /**
     * @param codePoints the character of each id; distinct, no surrogates
     * @param unknown    the character (one of {@code codePoints}) used for unknown characters, or -1 to reject them
     */
    public CharTokenizer(int[] codePoints, int unknown) {
        if (codePoints.length == 0) {
            throw new IllegalArgumentException("a character vocabulary needs at least one character");
        }
        this.codePoints = codePoints.clone();
        bmpIds = new int[0x10000];
        Arrays.fill(bmpIds, -1);
        for (int id = 0; id < codePoints.length; id++) {
            int cp = codePoints[id];
            if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw new IllegalArgumentException("character vocabulary entry " + id + " is not a Unicode character: U+"
                        + Integer.toHexString(cp).toUpperCase());
            }
            if (idOf(cp) >= 0) {
                throw new IllegalArgumentException("character " + describe(cp) + " appears twice in the vocabulary");
            }
            if (cp < 0x10000) {
                bmpIds[cp] = id;
            } else {
                supplementaryIds.put(cp, id);
            }
        }
        if (unknown != -1 && idOf(unknown) < 0) {
            throw new IllegalArgumentException("the unknown character " + describe(unknown) + " is not in the vocabulary");
        }
        this.unknownId = unknown == -1 ? -1 : idOf(unknown);
    }

    /** The sorted distinct characters of a corpus; unknown characters are rejected at encode time. */
    public static CharTokenizer fromText(String corpus) {
        return new CharTokenizer(distinctCodePoints(corpus), -1);
    }

    /** As {@link #fromText(String)}, plus U+FFFD (added if absent) for characters outside the vocabulary. */
    public static CharTokenizer fromTextWithUnknown(String corpus) {
        int[] cps = distinctCodePoints(corpus + new String(Character.toChars(REPLACEMENT)));
        return new CharTokenizer(cps, REPLACEMENT);
    }

    private static int[] distinctCodePoints(String corpus) {
        int[] cps = corpus.codePoints().distinct().sorted().toArray();
        for (int cp : cps) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                throw new IllegalArgumentException("text has an unpaired surrogate U+" + Integer.toHexString(cp).toUpperCase()
                        + " (not valid Unicode)");
            }
        }
        return cps;
    }

    private int idOf(int cp) {
        if (cp < 0x10000) {
            return bmpIds[cp];
        }
        return supplementaryIds.getOrDefault(cp, -1);
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = (cp >= 0xD800 && cp <= 0xDFFF) ? -1 : idOf(cp);
            if (id < 0) {
                if (unknownId < 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    throw new IllegalArgumentException("character " + describe(cp) + " at index " + i
                            + " is not in the vocabulary of " + codePoints.length + " characters");
                }
                id = unknownId;
            }
            out[n++] = id;
            i += Character.charCount(cp);
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            Tokenizer.checkId(id, codePoints.length);
            sb.appendCodePoint(codePoints[id]);
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public byte[] tokenBytes(int id) {
        Tokenizer.checkId(id, codePoints.length);
        return new String(Character.toChars(codePoints[id])).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String tokenText(int id) {
        Tokenizer.checkId(id, codePoints.length);
        return new String(Character.toChars(codePoints[id]));
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return Map.of();
    }

    /** The character of each id. */
    public int[] codePoints() {
        return codePoints.clone();
    }

    /** The character unknown characters become, or -1 if they are rejected. */
    public int unknownCodePoint() {
        return unknownId < 0 ? -1 : codePoints[unknownId];
    }

    @Override
    public String toString() {
        return "char-level, " + codePoints.length + " characters";
    }

    static String describe(int cp) {
        String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) ? "" : "'" + new String(Character.toChars(cp)) + "' ";
        return shown + String.format("(U+%04X)", cp);
    }
}
