package org.gpt4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What each token of an encoding stands for, for showing learners: its bytes, its readable text,
 * and — for byte tokens — which character it cuts and which of that character's bytes it holds
 * (under GPT-2's BPE, "文" is E6 96 87 and comes as two tokens, E6 96 and 87).
 */
public final class TokenPieces {

    /**
     * One token. {@code splits} describes the characters this token holds only part of, e.g.
     * {@code "文 bytes 1-2 of 3"}; empty when the token is whole characters.
     */
    public record Piece(int id, byte[] bytes, String text, String splits) {
        public boolean isFragment() {
            return !splits.isEmpty();
        }
    }

    private TokenPieces() {
    }

    public static List<Piece> of(Tokenizer tokenizer, int[] ids) {
        // The tokens' own bytes end to end (for byte-level BPE, the decoded bytes; WordPiece's
        // decoding adds spaces and drops "##", which would misalign the tokens).
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            joined.writeBytes(tokenizer.tokenBytes(id));
        }
        byte[] all = joined.toByteArray();
        // charStart[i]: where the character holding byte i starts; charLength: its length (1 if invalid).
        int[] charStart = new int[all.length];
        int[] charLength = new int[all.length];
        for (int i = 0; i < all.length; ) {
            int n = Math.max(1, validLength(all, i));
            for (int k = i; k < i + n; k++) {
                charStart[k] = i;
                charLength[k] = n;
            }
            i += n;
        }
        List<Piece> pieces = new ArrayList<>(ids.length);
        int pos = 0;
        for (int id : ids) {
            byte[] bytes = tokenizer.tokenBytes(id);
            int from = pos;
            int to = pos + bytes.length;
            List<String> splits = new ArrayList<>();
            if (bytes.length > 0 && charStart[from] != from) {
                splits.add(describe(all, charStart[from], charLength[from], from, Math.min(to, charStart[from] + charLength[from])));
            }
            if (bytes.length > 0) {
                int last = to - 1;
                int start = charStart[last];
                boolean endsInside = start + charLength[last] > to;
                if (endsInside && (start >= from)) {
                    splits.add(describe(all, start, charLength[last], start, to));
                }
            }
            pieces.add(new Piece(id, bytes, tokenizer.tokenText(id), String.join(", ", splits)));
            pos = to;
        }
        return pieces;
    }

    private static String describe(byte[] all, int start, int length, int from, int to) {
        String ch = new String(all, start, length, StandardCharsets.UTF_8);
        int first = from - start + 1;
        int last = to - start;
        String range = first == last ? "byte " + first : "bytes " + first + "-" + last;
        return ch + " " + range + " of " + length;
    }

    private static int validLength(byte[] b, int i) {
        int lead = b[i] & 0xFF;
        int need = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
        if (need <= 1 || i + need > b.length) {
            return need == 1 ? 1 : 0;
        }
        String s = new String(b, i, need, StandardCharsets.UTF_8);
        // Valid exactly when it decodes to one character that is not a replacement.
        return s.codePointCount(0, s.length()) == 1 && s.codePointAt(0) != 0xFFFD ? need : 0;
    }
}
