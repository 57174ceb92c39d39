package org.gpt4j.fewshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.gpt4j.finetune.LabelMap;

/**
 * The words that stand for the labels in a prompt ("verbalisers"): given as one comma-separated
 * list in label order ({@code " negative, positive"}), each kept exactly as written between the
 * commas, leading space included; by default each label's name after a space. Integer labels
 * (SST-2's 0 and 1) have no words to say, so they need the list.
 */
public final class Verbalisers {

    private Verbalisers() {
    }

    /**
     * @param given the comma-separated list, or null for the defaults
     * @param train the file the labels came from (named in errors)
     */
    public static List<String> of(String given, LabelMap labels, Path train) {
        if (given == null) {
            if (labels.names().stream().allMatch(n -> n.matches("[0-9]+"))) {
                throw new IllegalArgumentException("the labels of " + train + " are integers " + labels.names()
                        + ": give a word for each with --labels, in label order (" + String.join(", ", labels.names())
                        + "), e.g. --labels \" negative, positive\"");
            }
            return labels.names().stream().map(n -> " " + n).toList();
        }
        String[] parts = given.split(",", -1);
        if (parts.length != labels.size()) {
            throw new IllegalArgumentException("--labels gives " + parts.length + " word" + (parts.length == 1 ? "" : "s")
                    + " but " + train + " has " + labels.size() + " labels, in this order: " + labels.names());
        }
        List<String> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                throw new IllegalArgumentException("--labels: the word for label '" + labels.name(i) + "' (number " + (i + 1)
                        + ") is empty");
            }
            out.add(parts[i]);
        }
        if (new HashSet<>(out).size() != out.size()) {
            throw new IllegalArgumentException("--labels: two labels have the same word " + out.stream().map(w -> "\"" + w + "\"").toList());
        }
        return List.copyOf(out);
    }
}
