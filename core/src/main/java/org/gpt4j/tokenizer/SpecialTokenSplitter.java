package org.gpt4j.tokenizer;

import java.util.Map;

/** Splits text at special-token strings (longest first at a position) for {@link Tokenizer#encodeWithSpecialTokens}. */
final class SpecialTokenSplitter {

    private SpecialTokenSplitter() {
    }

    static int[] encode(Tokenizer tokenizer, String text) {
        Map<String, Integer> specials = tokenizer.specialTokens();
        if (specials.isEmpty()) {
            return tokenizer.encode(text);
        }
        IntList out = new IntList(Math.max(16, text.length() / 3));
        int from = 0;
        int pos = 0;
        while (pos < text.length()) {
            String match = null;
            int at = Integer.MAX_VALUE;
            for (String special : specials.keySet()) {
                int i = text.indexOf(special, pos);
                if (i >= 0 && (i < at || (i == at && special.length() > match.length()))) {
                    at = i;
                    match = special;
                }
            }
            if (match == null) {
                break;
            }
            out.addAll(tokenizer.encode(text.substring(from, at)));
            out.add(specials.get(match));
            from = at + match.length();
            pos = from;
        }
        out.addAll(tokenizer.encode(text.substring(from)));
        return out.toArray();
    }
}
