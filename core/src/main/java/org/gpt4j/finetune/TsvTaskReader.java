package org.gpt4j.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a labelled TSV: UTF-8, a header row, one example per line, fields split on tabs with no
 * quoting (GLUE's convention: a quote is an ordinary character, as in RTE's texts). Columns are
 * found by name ({@link TaskColumns}). Every problem is one {@link TaskDataException} naming the
 * file and line: a missing column, a row with too few fields, an empty text or label, invalid
 * UTF-8, an over-long line, an empty file. Blank lines are skipped (a trailing newline is common).
 * Multiple-choice data, whose rows hold a list of options, is JSONL ({@link JsonlTaskReader}).
 */
public final class TsvTaskReader {

    /** Longer lines are not text examples (and would hold the whole file in one string). */
    static final int MAX_LINE_BYTES = 1 << 20;

    private TsvTaskReader() {
    }

    public static List<TaskRow> read(Path file, TaskFormat format, TaskColumns columns) throws IOException {
        if (format.choices()) {
            throw new TaskDataException(file, 0, "multiple-choice data must be JSON Lines (a .jsonl file with premise, "
                    + "choice1..N or choices, label per line)");
        }
        List<TaskRow> rows = new ArrayList<>();
        try (TextLines in = TextLines.open(file, MAX_LINE_BYTES)) {
            String header = in.next();
            if (header == null || header.isBlank()) {
                throw new TaskDataException(file, 1, "empty file (expected a header row such as 'sentence<TAB>label')");
            }
            List<String> names = Arrays.asList(header.split("\t", -1));
            int text = column(file, names, columns.text(), TaskColumns.TEXT_NAMES, "text", "--text-column");
            int pair = format.pair()
                    ? column(file, names, columns.pair(), TaskColumns.PAIR_NAMES, "second text", "--text-pair-column")
                    : -1;
            int label = column(file, names, columns.label(), TaskColumns.LABEL_NAMES, "label", "--label-column");
            if (pair == text) {
                throw new TaskDataException(file, 1, "the text and the second text are the same column '" + names.get(text) + "'");
            }
            int needed = Math.max(text, Math.max(pair, label)) + 1;
            String s;
            while ((s = in.next()) != null) {
                long line = in.number();
                if (s.isBlank()) {
                    continue;
                }
                String[] f = s.split("\t", -1);
                if (f.length < needed) {
                    throw new TaskDataException(file, line, "expected " + names.size() + " tab-separated fields (as the header), found "
                            + f.length);
                }
                String t = f[text].strip();
                String p = pair >= 0 ? f[pair].strip() : null;
                String l = f[label].strip();
                if (t.isEmpty() || (p != null && p.isEmpty())) {
                    throw new TaskDataException(file, line, "empty text in column '"
                            + names.get(t.isEmpty() ? text : pair) + "'");
                }
                if (l.isEmpty()) {
                    throw new TaskDataException(file, line, "empty label");
                }
                rows.add(new TaskRow(t, p, List.of(), l, line));
            }
            if (rows.isEmpty()) {
                throw new TaskDataException(file, in.number(), "no examples after the header");
            }
        }
        return rows;
    }

    private static int column(Path file, List<String> header, String chosen, List<String> usual, String what,
            String option) throws TaskDataException {
        if (chosen != null) {
            int i = header.indexOf(chosen);
            if (i < 0) {
                throw new TaskDataException(file, 1, "no column '" + chosen + "' for the " + what + " (the header has "
                        + header + ")");
            }
            return i;
        }
        for (String name : usual) {
            int i = header.indexOf(name);
            if (i >= 0) {
                return i;
            }
        }
        throw new TaskDataException(file, 1, "no " + what + " column: expected one of " + usual + " in the header "
                + header + ", or name it with " + option);
    }
}
