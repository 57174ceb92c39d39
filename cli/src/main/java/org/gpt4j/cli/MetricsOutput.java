package org.gpt4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import org.gpt4j.evaluate.ClassificationMetrics;

/**
 * How the task commands ({@code evaluate-task}, {@code baseline}, {@code fewshot}) print
 * {@link ClassificationMetrics}: the same JSON keys and the same confusion matrix everywhere.
 */
final class MetricsOutput {

    private MetricsOutput() {
    }

    /** {@code "accuracy"}, {@code "macro_f1"}, {@code "n"}, {@code "confusion"} and {@code "labels"}, in that order. */
    static void put(ObjectNode n, ClassificationMetrics m, List<String> labels) {
        n.put("accuracy", m.accuracy());
        n.put("macro_f1", m.macroF1());
        n.put("n", m.n());
        putConfusion(n, m);
        putStrings(n, "labels", labels);
    }

    /** {@code "confusion"}: one array per gold label, its counts per predicted label. */
    static void putConfusion(ObjectNode n, ClassificationMetrics m) {
        ArrayNode confusion = n.putArray("confusion");
        for (long[] row : m.confusion()) {
            ArrayNode a = confusion.addArray();
            for (long v : row) {
                a.add(v);
            }
        }
    }

    static void putStrings(ObjectNode n, String key, List<String> values) {
        ArrayNode a = n.putArray(key);
        values.forEach(a::add);
    }

    /** The confusion matrix under {@code title}, a row per gold label. */
    static void printConfusion(PrintWriter w, String title, ClassificationMetrics m) {
        w.println(title);
        for (long[] row : m.confusion()) {
            w.println("  " + java.util.Arrays.toString(row));
        }
    }
}
