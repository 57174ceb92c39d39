package org.gpt4j.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * A task file's examples with their labels as ids. A file ending in {@code .jsonl} is read as
 * JSON Lines ({@link JsonlTaskReader}), any other as TSV ({@link TsvTaskReader}).
 *
 * <p>The training file defines the label map; a dev or test file is read against that map, and a
 * label it does not know is an error naming the line (a label the model was never trained on
 * cannot be scored). For multiple choice the "labels" are the options: a file with N options per
 * example has labels 0 .. N-1, each example's label is its gold option's index, and a dev or
 * test file must have the training file's N.
 */
public record TaskDataset(Path file, List<TaskExample> examples, LabelMap labels) {

    public TaskDataset {
        examples = List.copyOf(examples);
    }

    /** Reads a training file and derives the label map from it. */
    public static TaskDataset readTraining(Path file, TaskFormat format, TaskColumns columns) throws IOException {
        List<TaskRow> rows = rows(file, format, columns);
        if (format.choices()) {
            return withLabels(file, format, rows, LabelMap.options(rows.get(0).choices().size()));
        }
        List<String> seen = new ArrayList<>();
        for (TaskRow r : rows) {
            seen.add(r.label());
        }
        if (new HashSet<>(seen).size() < 2) {
            throw new TaskDataException(file, 0, "every example has the label '" + seen.get(0)
                    + "': a classifier needs at least 2 labels");
        }
        LabelMap labels;
        try {
            labels = LabelMap.fromLabels(seen);
        } catch (IllegalArgumentException e) {
            throw new TaskDataException(file, 0, e.getMessage());
        }
        return withLabels(file, format, rows, labels);
    }

    /** Reads an evaluation file against the labels of a training file or a fine-tuned model. */
    public static TaskDataset read(Path file, TaskFormat format, TaskColumns columns, LabelMap labels) throws IOException {
        return withLabels(file, format, rows(file, format, columns), labels);
    }

    /** Whether {@code file} is read as JSON Lines. */
    public static boolean isJsonLines(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
    }

    private static List<TaskRow> rows(Path file, TaskFormat format, TaskColumns columns) throws IOException {
        return isJsonLines(file) ? JsonlTaskReader.read(file, format, columns) : TsvTaskReader.read(file, format, columns);
    }

    private static TaskDataset withLabels(Path file, TaskFormat format, List<TaskRow> rows, LabelMap labels)
            throws TaskDataException {
        List<TaskExample> out = new ArrayList<>(rows.size());
        for (TaskRow r : rows) {
            if (format.choices() && r.choices().size() != labels.size()) {
                throw new TaskDataException(file, r.line(), "has " + r.choices().size() + " options, but the task has "
                        + labels.size() + " (as its training file)");
            }
            int id = labels.id(r.label());
            if (id < 0) {
                throw new TaskDataException(file, r.line(), format.choices()
                        ? "label '" + r.label() + "' is not an option's index (0 to " + (labels.size() - 1) + ")"
                        : "label '" + r.label() + "' is not one of the task's labels " + labels.names());
            }
            out.add(new TaskExample(r.text(), r.pair(), r.choices(), id, r.line()));
        }
        return new TaskDataset(file, out, labels);
    }

    public int size() {
        return examples.size();
    }
}
