package org.gpt4j.rl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gpt4j.finetune.JsonlTaskReader;
import org.gpt4j.finetune.TaskDataException;
import org.gpt4j.finetune.TextLines;

/**
 * Reads a reward model's comparisons from JSON Lines, one object per line (blank lines skipped,
 * other fields ignored), in either of two forms:
 * <ul>
 *   <li>{@code {"prompt": P, "chosen": Y_w, "rejected": Y_l}}: one comparison (Anthropic HH, TRL);</li>
 *   <li>{@code {"prompt": P, "ranking": [Y_1, Y_2, ..., Y_K]}}, best first: every one of the
 *       K(K-1)/2 pairs, as InstructGPT expands a labeller's ranking (K from 2 to {@link #MAX_RANKED}).</li>
 * </ul>
 * The prompt is a string (it may be empty); responses are non-empty strings, and the two sides of
 * a comparison differ. Every problem is one {@link TaskDataException} naming the file and line:
 * invalid JSON (a line cut short), a line that is not an object, a duplicate key, a missing or
 * mistyped field, both forms at once, an empty or repeated response, invalid UTF-8, a line over 1 MiB.
 */
public final class PreferenceReader {

    /** The most responses one ranking may hold (InstructGPT's labellers ranked 4 to 9). */
    public static final int MAX_RANKED = 16;

    static final int MAX_LINE_BYTES = 1 << 20;

    private PreferenceReader() {
    }

    /** Every comparison of the file, in file order (a ranking's pairs in order of the better response). */
    public static List<PreferencePair> read(Path file) throws IOException {
        List<PreferencePair> out = new ArrayList<>();
        int group = 0;
        try (TextLines in = TextLines.open(file, MAX_LINE_BYTES)) {
            String s;
            while ((s = in.next()) != null) {
                if (s.isBlank()) {
                    continue;
                }
                long line = in.number();
                JsonNode o = JsonlTaskReader.parse(file, line, s);
                String prompt = string(file, line, o, "prompt", true);
                boolean pair = o.has("chosen") || o.has("rejected");
                if (pair && o.has("ranking")) {
                    throw new TaskDataException(file, line, "has both 'chosen'/'rejected' and 'ranking'; give one form");
                }
                if (pair) {
                    String chosen = string(file, line, o, "chosen", false);
                    String rejected = string(file, line, o, "rejected", false);
                    if (chosen.equals(rejected)) {
                        throw new TaskDataException(file, line, "'chosen' and 'rejected' are the same text");
                    }
                    out.add(new PreferencePair(prompt, chosen, rejected, line, group));
                } else if (o.has("ranking")) {
                    List<String> ranked = ranking(file, line, o.get("ranking"));
                    for (int i = 0; i < ranked.size(); i++) {
                        for (int j = i + 1; j < ranked.size(); j++) {
                            out.add(new PreferencePair(prompt, ranked.get(i), ranked.get(j), line, group));
                        }
                    }
                } else {
                    throw new TaskDataException(file, line, "no comparison: expected 'chosen' and 'rejected', or 'ranking'");
                }
                group++;
            }
            if (out.isEmpty()) {
                throw new TaskDataException(file, in.number(), "no comparisons (expected one JSON object per line with "
                        + "'prompt' and 'chosen'/'rejected' or 'ranking')");
            }
        }
        return out;
    }

    private static String string(Path file, long line, JsonNode o, String field, boolean mayBeEmpty)
            throws TaskDataException {
        JsonNode v = o.get(field);
        if (v == null) {
            throw new TaskDataException(file, line, "missing field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new TaskDataException(file, line, "field '" + field + "' must be a string, found "
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!mayBeEmpty && v.asText().isEmpty()) {
            throw new TaskDataException(file, line, "field '" + field + "' is empty");
        }
        return v.asText();
    }

    private static List<String> ranking(Path file, long line, JsonNode a) throws TaskDataException {
        if (!a.isArray()) {
            throw new TaskDataException(file, line, "field 'ranking' must be an array of responses, best first");
        }
        if (a.size() < 2 || a.size() > MAX_RANKED) {
            throw new TaskDataException(file, line, "'ranking' has " + a.size() + " responses; expected 2 to " + MAX_RANKED);
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode v = a.get(i);
            if (!v.isTextual() || v.asText().isEmpty()) {
                throw new TaskDataException(file, line, "'ranking'[" + i + "] must be a non-empty string");
            }
            if (!seen.add(v.asText())) {
                throw new TaskDataException(file, line, "'ranking'[" + i + "] repeats an earlier response");
            }
            out.add(v.asText());
        }
        return out;
    }
}
