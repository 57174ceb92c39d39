package org.gpt4j.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A task file's examples with their labels as ids. The training file defines the label map;
 * a dev or test file is read against that map, and a label it does not know is an error naming
 * the line (a label the model was never trained on cannot be scored).
 */
public record TaskDataset(Path file, List<TaskExample> examples, LabelMap labels) {

    public TaskDataset {
        examples = List.copyOf(examples);
    }

    /** Reads a training file and derives the label map from it. */
    public static TaskDataset readTraining(Path file, TaskFormat format, TaskColumns columns) throws IOException {
        List<TsvTaskReader.Row> rows = TsvTaskReader.read(file, format, columns);
        List<String> seen = new ArrayList<>();
        for (TsvTaskReader.Row r : rows) {
            seen.add(r.label());
        }
        if (new java.util.HashSet<>(seen).size() < 2) {
            throw new TaskDataException(file, 0, "every example has the label '" + seen.get(0)
                    + "': a classifier needs at least 2 labels");
        }
        LabelMap labels;
        try {
            labels = LabelMap.fromLabels(seen);
        } catch (IllegalArgumentException e) {
            throw new TaskDataException(file, 0, e.getMessage());
        }
        return withLabels(file, rows, labels);
    }

    /** Reads an evaluation file against the labels of a training file or a fine-tuned model. */
    public static TaskDataset read(Path file, TaskFormat format, TaskColumns columns, LabelMap labels) throws IOException {
        return withLabels(file, TsvTaskReader.read(file, format, columns), labels);
    }

    private static TaskDataset withLabels(Path file, List<TsvTaskReader.Row> rows, LabelMap labels)
            throws TaskDataException {
        List<TaskExample> out = new ArrayList<>(rows.size());
        for (TsvTaskReader.Row r : rows) {
            int id = labels.id(r.label());
            if (id < 0) {
                throw new TaskDataException(file, r.line(), "label '" + r.label() + "' is not one of the task's labels "
                        + labels.names());
            }
            out.add(new TaskExample(r.text(), r.pair(), id, r.line()));
        }
        return new TaskDataset(file, out, labels);
    }

    public int size() {
        return examples.size();
    }
}
