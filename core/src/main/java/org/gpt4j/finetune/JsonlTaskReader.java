package org.gpt4j.finetune;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a labelled JSON Lines file: UTF-8, one JSON object per line, blank lines skipped, other
 * fields (COPA's {@code idx}, {@code changed}) ignored. Fields are found by name as TSV columns
 * are ({@link TaskColumns}):
 *
 * <ul>
 *   <li>classification: {@code sentence} / {@code text} / ..., {@code label};
 *   <li>entailment, similarity: {@code sentence1} / ..., {@code sentence2} / {@code hypothesis} / ...;
 *   <li>multiple choice: the context ({@code premise}, {@code context}, ...) and an optional
 *       {@code question} (COPA's cause / effect, see {@link TaskColumns#context}), the options as
 *       a {@code choices} array or as {@code choice1}, {@code choice2}, ..., and {@code label}, the
 *       gold option's index from 0. Every example of a file has the same number of options.
 * </ul>
 *
 * <p>Each row also keeps the object's string and number fields as written ({@link TaskRow#fields}):
 * fine-tuning reads the texts above, few-shot templates read any field by name.
 *
 * <p>Texts are strings; a label is a string or an integer (written as its digits). Every problem
 * is one {@link TaskDataException} naming the file and line: malformed JSON, a line that is not an
 * object, a duplicate key, a missing field, a field of the wrong type, an empty text, a multiple-choice label that is not an option's index, an option
 * count unlike the file's first example's, invalid UTF-8, an over-long line.
 */
public final class JsonlTaskReader {

    /** Longer lines are not examples. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** The most options an example may have (more is not a multiple-choice question). */
    static final int MAX_CHOICES = 64;

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonlTaskReader() {
    }

    public static List<TaskRow> read(Path file, TaskFormat format, TaskColumns columns) throws IOException {
        List<TaskRow> rows = new ArrayList<>();
        try (TextLines in = TextLines.open(file, MAX_LINE_BYTES)) {
            String s;
            while ((s = in.next()) != null) {
                if (s.isBlank()) {
                    continue;
                }
                long line = in.number();
                TaskRow row = new Line(file, line, parse(file, line, s)).row(format, columns);
                if (!rows.isEmpty() && row.choices().size() != rows.get(0).choices().size()) {
                    throw new TaskDataException(file, line, "has " + row.choices().size() + " options, but the file's first example (line "
                            + rows.get(0).line() + ") has " + rows.get(0).choices().size()
                            + ": every example of a multiple-choice file needs the same number");
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new TaskDataException(file, in.number(), "no examples (expected one JSON object per line)");
            }
        }
        return rows;
    }

    /**
     * One JSON Lines line as an object (strict: duplicate keys and trailing text are errors), or
     * the one error naming the file and line; every JSON Lines reader of training data uses it.
     */
    public static JsonNode parse(Path file, long line, String s) throws TaskDataException {
        JsonNode node;
        try {
            node = STRICT.readTree(s);
        } catch (JsonProcessingException e) {
            throw new TaskDataException(file, line, "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new TaskDataException(file, line, "expected a JSON object, found "
                    + (node == null ? "nothing" : kind(node)));
        }
        return node;
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** One parsed line and where it came from, for its error messages. */
    private record Line(Path file, long line, JsonNode object) {

        TaskRow row(TaskFormat format, TaskColumns c) throws TaskDataException {
            String label = label(c.label() != null ? c.label() : TaskColumns.LABEL_NAMES.get(0));
            if (format.choices()) {
                String contextField = c.text() != null ? c.text() : first(TaskColumns.CONTEXT_NAMES);
                String premise = contextField != null ? text(contextField, c.text() != null) : null;
                String question = object.has(TaskColumns.QUESTION) ? text(TaskColumns.QUESTION, false) : null;
                if (premise == null && question == null) {
                    throw error("no context: expected one of " + TaskColumns.CONTEXT_NAMES + " or '" + TaskColumns.QUESTION
                            + "' (or name it with --text-column)");
                }
                List<String> choices = choices();
                if (LabelMap.options(choices.size()).id(label) < 0) {
                    throw error("label '" + label + "' is not an option's index (0 to " + (choices.size() - 1) + ")");
                }
                return new TaskRow(c.context(premise, question), null, choices, label, line, fields());
            }
            String textField = c.text() != null ? c.text() : first(TaskColumns.TEXT_NAMES);
            if (textField == null) {
                throw error("no text field: expected one of " + TaskColumns.TEXT_NAMES + " (or name it with --text-column)");
            }
            String pair = null;
            if (format.pair()) {
                String pairField = c.pair() != null ? c.pair() : first(TaskColumns.PAIR_NAMES);
                if (pairField == null) {
                    throw error("no second text field: expected one of " + TaskColumns.PAIR_NAMES
                            + " (or name it with --text-pair-column)");
                }
                if (pairField.equals(textField)) {
                    throw error("the text and the second text are the same field '" + textField + "'");
                }
                pair = text(pairField, true);
            }
            return new TaskRow(text(textField, true), pair, List.of(), label, line, fields());
        }

        /** Every string and number field as written (booleans, arrays, objects and nulls are not template text). */
        private Map<String, String> fields() {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (e.getValue().isTextual() || e.getValue().isNumber()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
            return out;
        }

        /** The first of {@code names} this object has (null values count as absent), or null. */
        private String first(List<String> names) {
            for (String n : names) {
                if (object.hasNonNull(n)) {
                    return n;
                }
            }
            return null;
        }

        /** A non-empty string field, stripped; null when absent and not {@code required}. */
        private String text(String field, boolean required) throws TaskDataException {
            JsonNode n = object.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error("missing field '" + field + "'");
                }
                return null;
            }
            if (!n.isTextual()) {
                throw error("field '" + field + "' must be a string, found " + kind(n));
            }
            String s = n.asText().strip();
            if (s.isEmpty()) {
                throw error("empty text in field '" + field + "'");
            }
            return s;
        }

        private String label(String field) throws TaskDataException {
            JsonNode n = object.get(field);
            if (n == null || n.isNull()) {
                throw error("missing field '" + field + "' (the label)");
            }
            if (n.isIntegralNumber()) {
                return n.bigIntegerValue().toString();
            }
            if (!n.isTextual()) {
                throw error("field '" + field + "' (the label) must be a string or an integer, found " + kind(n)
                        + (n.isNumber() ? " " + n.asText() : ""));
            }
            String s = n.asText().strip();
            if (s.isEmpty()) {
                throw error("empty label");
            }
            return s;
        }

        private List<String> choices() throws TaskDataException {
            List<String> out = new ArrayList<>();
            JsonNode array = object.get(TaskColumns.CHOICES);
            if (array != null && !array.isNull()) {
                if (!array.isArray()) {
                    throw error("field '" + TaskColumns.CHOICES + "' must be an array of strings, found " + kind(array));
                }
                if (object.has(TaskColumns.CHOICE_PREFIX + 1)) {
                    throw error("both '" + TaskColumns.CHOICES + "' and '" + TaskColumns.CHOICE_PREFIX
                            + "1': give the options one way");
                }
                for (int i = 0; i < array.size(); i++) {
                    JsonNode n = array.get(i);
                    if (!n.isTextual() || n.asText().isBlank()) {
                        throw error("option " + i + " of '" + TaskColumns.CHOICES + "' must be a non-empty string, found "
                                + (n.isTextual() ? "an empty one" : kind(n)));
                    }
                    out.add(n.asText().strip());
                    if (out.size() > MAX_CHOICES) {
                        break;
                    }
                }
            } else {
                for (int k = 1; object.has(TaskColumns.CHOICE_PREFIX + k) && k <= MAX_CHOICES + 1; k++) {
                    out.add(text(TaskColumns.CHOICE_PREFIX + k, true));
                }
            }
            if (out.size() < 2) {
                throw error("expected at least 2 options, as a '" + TaskColumns.CHOICES + "' array or as '"
                        + TaskColumns.CHOICE_PREFIX + "1', '" + TaskColumns.CHOICE_PREFIX + "2', ...; found " + out.size());
            }
            if (out.size() > MAX_CHOICES) {
                throw error("more than " + MAX_CHOICES + " options");
            }
            return out;
        }

        private TaskDataException error(String problem) {
            return new TaskDataException(file, line, problem);
        }
    }
}
