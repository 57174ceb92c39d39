package org.gpt4j.fewshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpt4j.finetune.JsonlTaskReader;
import org.gpt4j.finetune.LabelMap;
import org.gpt4j.finetune.TaskColumns;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskExample;
import org.gpt4j.finetune.TaskRow;

/**
 * The examples of a few-shot run: a training file to draw demonstrations from and a file to
 * score. For classification and entailment the training file (TSV, read by the fine-tuning
 * readers) defines the labels and their order, and the data file is read against them; the
 * answers are the verbalisers. For multiple choice both are JSONL (read by the fine-tuning JSONL
 * reader) and each question has its own options.
 *
 * @param labels the label names in label order (empty for multiple choice)
 * @param verbalisers the words for the labels, in the same order (empty for multiple choice)
 * @param fields the template fields every example has
 */
public record FewShotData(FewShotTask task, List<FewShotExample> train, List<FewShotExample> data, List<String> labels,
        List<String> verbalisers, Set<String> fields) {

    public FewShotData {
        train = List.copyOf(train);
        data = List.copyOf(data);
        labels = List.copyOf(labels);
        verbalisers = List.copyOf(verbalisers);
        fields = Set.copyOf(fields);
    }

    /**
     * @param verbalisers the {@code --labels} list (see {@link Verbalisers}), or null; not for multiple choice
     * @param choicePrefix what goes before each multiple-choice option (a space by default)
     */
    public static FewShotData read(FewShotTask task, Path train, Path data, TaskColumns columns, String verbalisers,
            String choicePrefix) throws IOException {
        if (!task.hasLabels()) {
            if (verbalisers != null) {
                throw new IllegalArgumentException("--labels is for classification and entailment: the answers of a"
                        + " multiple-choice question are its own options");
            }
            List<FewShotExample> t = questions(task, train, columns, choicePrefix);
            List<FewShotExample> d = questions(task, data, columns, choicePrefix);
            return new FewShotData(task, t, d, List.of(), List.of(), commonFields(t, d));
        }
        TaskDataset t = TaskDataset.readTraining(train, task.taskFormat(), columns);
        TaskDataset d = TaskDataset.read(data, task.taskFormat(), columns, t.labels());
        LabelMap labels = t.labels();
        List<String> words = Verbalisers.of(verbalisers, labels, train);
        List<FewShotExample> te = t.examples().stream().map(e -> of(task, e, words, train)).toList();
        List<FewShotExample> de = d.examples().stream().map(e -> of(task, e, words, data)).toList();
        return new FewShotData(task, te, de, labels.names(), words, te.get(0).fields().keySet());
    }

    private static FewShotExample of(FewShotTask task, TaskExample e, List<String> words, Path file) {
        Map<String, String> fields = new HashMap<>();
        fields.put("text", e.text());
        if (task == FewShotTask.ENTAILMENT) {
            fields.put("pair", e.pair());
            fields.put("premise", e.text());
            fields.put("hypothesis", e.pair());
        }
        return new FewShotExample(fields, words, e.label(), file + ":" + e.line());
    }

    /**
     * A multiple-choice file's questions, read as fine-tuning reads them ({@link JsonlTaskReader},
     * whatever the file's name) except that the template sees the object's own fields: the premise
     * as written, the {@code question} as its word (not the text fine-tuning appends for it).
     */
    private static List<FewShotExample> questions(FewShotTask task, Path file, TaskColumns columns, String prefix)
            throws IOException {
        List<FewShotExample> out = new ArrayList<>();
        for (TaskRow r : JsonlTaskReader.read(file, task.taskFormat(), columns)) {
            // the reader has checked that the label is an option's index, "0" .. "n-1"
            int gold = Integer.parseInt(r.label());
            List<String> options = r.choices().stream().map(c -> prefix + c).toList();
            out.add(new FewShotExample(r.fields(), options, gold, file + ":" + r.line()));
        }
        return out;
    }

    /** The fields every example of both files has (a template may only read those). */
    private static Set<String> commonFields(List<FewShotExample> a, List<FewShotExample> b) {
        Set<String> common = new LinkedHashSet<>(a.get(0).fields().keySet());
        for (FewShotExample e : a) {
            common.retainAll(e.fields().keySet());
        }
        for (FewShotExample e : b) {
            common.retainAll(e.fields().keySet());
        }
        return common;
    }

    /**
     * Checks that every example has every field the template reads.
     *
     * @throws IllegalArgumentException naming the field, and for JSONL the first example (file and line) without it
     */
    public void requireFields(PromptTemplate template) {
        for (String f : template.fields()) {
            if (fields.contains(f)) {
                continue;
            }
            if (!task.hasLabels()) {
                for (List<FewShotExample> set : List.of(train, data)) {
                    for (FewShotExample e : set) {
                        if (!e.fields().containsKey(f)) {
                            throw new IllegalArgumentException(e.source() + ": the template reads {" + f + "}, which this example does"
                                    + " not have; its fields are " + braced(e.fields().keySet()));
                        }
                    }
                }
            }
            throw new IllegalArgumentException("the template reads {" + f + "}, which " + task + " data does not have; its fields are "
                    + braced(fields));
        }
    }

    private static List<String> braced(Set<String> names) {
        return names.stream().sorted().map(n -> "{" + n + "}").toList();
    }

    /** The first {@code n} examples to score (all when n is larger). */
    public FewShotData limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--limit must be >= 1, got " + n);
        }
        return n >= data.size() ? this : new FewShotData(task, train, data.subList(0, n), labels, verbalisers, fields);
    }
}
