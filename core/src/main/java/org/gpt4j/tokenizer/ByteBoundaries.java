package org.gpt4j.tokenizer;

/**
 * Where byte-level BPE can never merge: the adjacent byte pairs (a, b) that occur inside no token
 * a merge rule makes. A piece splits between two characters whose bytes meet in such a pair into
 * parts that encode separately to exactly the piece's ids: a merge across the split would make a
 * token holding a followed by b, and no rule makes one, so every merge stays inside one part and
 * the parts' merges do not interact (rank order only ever compares them).
 *
 * <p>Why: GPT-2's merges join only 2,693 of the 65,536 byte pairs. Between two Chinese or
 * Japanese characters the pair (last continuation byte, next lead byte) is almost never among
 * them, so a run of characters that the pre-tokeniser keeps as one piece ("秦川雄帝宅") becomes
 * single characters, a few thousand distinct ones that the piece cache holds, instead of
 * 100,000s of distinct phrases each merged from its bytes.
 *
 * <p>A byte that has no base token (encoded as the unknown token, in toy vocabularies) may join
 * anything: the unknown token's merges say nothing about the byte.
 */
final class ByteBoundaries {

    /** Bit {@code a << 8 | b} is set when some merged token holds byte a followed by byte b. */
    private final long[] joinable = new long[256 * 256 / 64];

    /**
     * @param tokenBytes  the bytes of every token, by id
     * @param mergeResult the token each merge rule makes
     * @param byteToken   the base token of each byte value, or -1 where the vocabulary lacks it
     */
    ByteBoundaries(byte[][] tokenBytes, int[] mergeResult, int[] byteToken) {
        for (int id : mergeResult) {
            byte[] b = tokenBytes[id];
            for (int i = 0; i + 1 < b.length; i++) {
                set(b[i] & 0xFF, b[i + 1] & 0xFF);
            }
        }
        for (int a = 0; a < 256; a++) {
            if (byteToken[a] < 0) {
                for (int b = 0; b < 256; b++) {
                    set(a, b);
                    set(b, a);
                }
            }
        }
    }

    /** True when some merge could join byte {@code a} with the byte {@code b} after it. */
    boolean canJoin(int a, int b) {
        int bit = a << 8 | b;
        return (joinable[bit >>> 6] & (1L << bit)) != 0;
    }

    /**
     * The end of the part of {@code s[from..to)} that starts at {@code from}: the first character
     * boundary no merge crosses, or {@code to}. An unpaired surrogate is never split from its
     * neighbours (encoding reports it).
     */
    int partEnd(char[] s, int from, int to) {
        int previousLast = -1;
        int i = from;
        while (i < to) {
            char c = s[i];
            int first;
            int last;
            int width = 1;
            if (c < 0x80) {
                first = c;
                last = c;
            } else if (c < 0x800) {
                first = 0xC0 | c >> 6;
                last = 0x80 | c & 0x3F;
            } else if (!Character.isSurrogate(c)) {
                first = 0xE0 | c >> 12;
                last = 0x80 | c & 0x3F;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s[i + 1])) {
                first = 0xF0 | Character.toCodePoint(c, s[i + 1]) >> 18;
                // The low surrogate carries the code point's last six bits.
                last = 0x80 | s[i + 1] & 0x3F;
                width = 2;
            } else {
                first = -1;
                last = -1;
            }
            if (previousLast >= 0 && first >= 0 && !canJoin(previousLast, first)) {
                return i;
            }
            previousLast = last;
            i += width;
        }
        return to;
    }

    private void set(int a, int b) {
        int bit = a << 8 | b;
        joinable[bit >>> 6] |= 1L << bit;
    }
}
