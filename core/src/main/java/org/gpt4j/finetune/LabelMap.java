package org.gpt4j.finetune;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The task's labels: id to name, as Hugging Face's {@code id2label}. Built from the training
 * file's label column: when every label is a non-negative integer the integers are the ids (so
 * "0" and "1" of SST-2 stay 0 and 1, and a missing integer leaves an unused id); otherwise the
 * distinct names, sorted, get ids 0, 1, ... (the same file always gives the same map). Integer
 * labels with many unused ids below their maximum are refused as a likely typo.
 */
public record LabelMap(List<String> names) {

    /** Unused ids tolerated beyond twice the distinct labels before integer labels are rejected. */
    static final int MAX_UNUSED_IDS = 8;

    public LabelMap {
        names = List.copyOf(names);
        if (names.size() < 2) {
            throw new IllegalArgumentException("a classification task needs at least 2 labels, got " + names);
        }
        if (new TreeSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("label names must be distinct, got " + names);
        }
    }

    /** The map for the labels seen in a training file. */
    public static LabelMap fromLabels(Collection<String> labels) {
        TreeSet<String> distinct = new TreeSet<>(labels);
        int max = -1;
        boolean integers = true;
        for (String l : distinct) {
            if (!l.matches("[0-9]{1,6}")) {
                integers = false;
                break;
            }
            max = Math.max(max, Integer.parseInt(l));
        }
        List<String> names = new ArrayList<>();
        if (integers && max + 1 > 2 * distinct.size() + MAX_UNUSED_IDS) {
            // A stray "999999" must not make a million-way head that almost never sees its classes.
            throw new IllegalArgumentException("integer labels are class ids, but " + distinct.size()
                    + " distinct labels go up to " + max + ": ids must run 0.." + (distinct.size() - 1)
                    + " with few gaps (a typo in a label column?), or be names");
        }
        if (integers) {
            for (int i = 0; i <= max; i++) {
                names.add(Integer.toString(i));
            }
        } else {
            names.addAll(distinct);
        }
        return new LabelMap(names);
    }

    /** A multiple-choice task's labels: the indices of its {@code n} options, "0" .. "n-1". */
    public static LabelMap options(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return new LabelMap(names);
    }

    /** The map from config.json's {@code id2label} ({"0": "negative", ...}). */
    public static LabelMap fromId2Label(Map<Integer, String> id2label) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < id2label.size(); i++) {
            String n = id2label.get(i);
            if (n == null) {
                throw new IllegalArgumentException("id2label has no entry for id " + i);
            }
            names.add(n);
        }
        return new LabelMap(names);
    }

    public int size() {
        return names.size();
    }

    public String name(int id) {
        return names.get(id);
    }

    /** The id of a label name, or -1. An integer label also matches by value ("01" is 1). */
    public int id(String label) {
        int i = names.indexOf(label);
        if (i < 0 && label.matches("[0-9]{1,6}")) {
            i = names.indexOf(Integer.toString(Integer.parseInt(label)));
        }
        return i;
    }
}
