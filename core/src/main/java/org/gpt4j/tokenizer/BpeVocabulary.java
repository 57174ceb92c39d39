package org.gpt4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.ModelFormatException;

/**
 * Checks a byte-level BPE vocabulary read from Hugging Face files (token spellings with ids, merge
 * rules as spelling pairs) and builds the {@link BpeTokenizer}; every problem becomes one
 * {@link ModelFormatException} naming the file and the token or line.
 */
final class BpeVocabulary {

    /** One merge rule as read: the two spellings and where it came from (e.g. "line 7"). */
    record MergeRule(String left, String right, String where) {
    }

    private BpeVocabulary() {
    }

    /**
     * @param vocab     spelling to id, in file order; ids must be exactly 0..size-1
     * @param specials  special tokens (their text, which is also their spelling) to id
     * @param unknown   spelling of the unknown token, or null
     */
    static BpeTokenizer build(Path vocabFile, Map<String, Integer> vocab, Path mergesFile, List<MergeRule> merges,
                              Map<String, Integer> specials, String unknown) throws ModelFormatException {
        int size = vocab.size();
        if (size == 0) {
            throw new ModelFormatException(vocabFile, "has no tokens");
        }
        byte[][] tokenBytes = new byte[size][];
        String[] spellingOf = new String[size];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String spelling = e.getKey();
            int id = e.getValue();
            if (id < 0 || id >= size) {
                throw new ModelFormatException(vocabFile, "token " + quote(spelling) + " has id " + id
                        + ", outside 0.." + (size - 1) + " (the vocabulary has " + size + " tokens)");
            }
            if (spellingOf[id] != null) {
                throw new ModelFormatException(vocabFile, "tokens " + quote(spellingOf[id]) + " and "
                        + quote(spelling) + " both have id " + id);
            }
            spellingOf[id] = spelling;
            byte[] bytes = ByteLevel.decode(spelling);
            if (bytes == null) {
                if (!specials.containsKey(spelling)) {
                    throw new ModelFormatException(vocabFile, "token " + quote(spelling) + " (id " + id
                            + ") has a character outside GPT-2's byte alphabet " + firstForeign(spelling)
                            + "; is this a byte-level BPE vocabulary?");
                }
                bytes = spelling.getBytes(StandardCharsets.UTF_8);
            }
            tokenBytes[id] = bytes;
        }
        Map<String, Integer> seen = new HashMap<>();
        int[][] rules = new int[merges.size()][];
        for (int r = 0; r < rules.length; r++) {
            MergeRule m = merges.get(r);
            Integer left = vocab.get(m.left());
            Integer right = vocab.get(m.right());
            if (left == null || right == null) {
                throw new ModelFormatException(mergesFile, m.where() + ": " + quote(left == null ? m.left() : m.right())
                        + " is not a token of " + vocabFile.getFileName());
            }
            Integer result = vocab.get(m.left() + m.right());
            if (result == null) {
                throw new ModelFormatException(mergesFile, m.where() + ": merging " + quote(m.left()) + " and "
                        + quote(m.right()) + " makes " + quote(m.left() + m.right()) + ", which is not a token of "
                        + vocabFile.getFileName());
            }
            String previous = m.left() + " " + m.right();
            Integer before = seen.putIfAbsent(previous, r);
            if (before != null) {
                throw new ModelFormatException(mergesFile, m.where() + " repeats the merge " + quote(previous)
                        + " of " + merges.get(before).where());
            }
            rules[r] = new int[] {left, right, result};
        }
        int unknownId = -1;
        if (unknown != null && vocab.containsKey(unknown)) {
            unknownId = vocab.get(unknown);
        }
        Map<String, Integer> specialIds = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : specials.entrySet()) {
            if (e.getValue() < 0 || e.getValue() >= size) {
                throw new ModelFormatException(vocabFile, "special token " + quote(e.getKey()) + " has id "
                        + e.getValue() + ", outside 0.." + (size - 1));
            }
            specialIds.put(e.getKey(), e.getValue());
        }
        return new BpeTokenizer(tokenBytes, rules, specialIds, unknownId);
    }

    /** A token spelling in quotes with control characters escaped, for one-line messages. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), 60);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(s.length() > n ? "...'" : "'").toString();
    }

    private static String firstForeign(String spelling) {
        for (int i = 0; i < spelling.length(); i++) {
            if (ByteLevel.byteOf(spelling.charAt(i)) < 0) {
                return String.format("(U+%04X at position %d)", (int) spelling.charAt(i), i);
            }
        }
        return "";
    }
}
