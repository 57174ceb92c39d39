package org.gpt4j.finetune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One epoch's batches of example indices, for right-padded batches that waste little on pads: a
 * shuffle seeded by (seed, epoch); then, within groups of {@link #GROUP_BATCHES} batches, the
 * examples sorted by length so each batch holds similar lengths; then the batches themselves
 * shuffled, so lengths do not run from short to long. Every example is in exactly one batch.
 * {@link #ofGroups} does the same with groups of examples that must share a batch.
 */
public final class LengthGroupedBatches {

    /** Batches per group sorted by length: enough to find similar lengths, few enough to stay random. */
    public static final int GROUP_BATCHES = 50;

    private LengthGroupedBatches() {
    }

    /** The batches of epoch {@code epoch} over examples of the given lengths. */
    public static List<int[]> of(int[] lengths, int batch, long seed, int epoch) {
        int n = lengths.length;
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        shuffle(order, rng);
        int group = batch * GROUP_BATCHES;
        for (int from = 0; from < n; from += group) {
            order.subList(from, Math.min(n, from + group)).sort(Comparator.comparingInt(i -> lengths[i]));
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < n; from += batch) {
            batches.add(order.subList(from, Math.min(n, from + batch)).stream().mapToInt(Integer::intValue).toArray());
        }
        shuffle(batches, rng);
        return batches;
    }

    /**
     * As {@link #of}, with the examples of each group kept in one batch: groups are shuffled and
     * sorted by their longest example as examples are, then packed in order into batches of at most
     * {@code batch} examples (a group larger than that is a batch of its own).
     *
     * @param groups each example's group; a group's examples need not be adjacent
     */
    public static List<int[]> ofGroups(int[] lengths, int[] groups, int batch, long seed, int epoch) {
        java.util.Map<Integer, List<Integer>> members = new java.util.LinkedHashMap<>();
        for (int i = 0; i < lengths.length; i++) {
            members.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> units = new ArrayList<>(members.values());
        int[] unitLength = new int[units.size()];
        for (int u = 0; u < units.size(); u++) {
            for (int i : units.get(u)) {
                unitLength[u] = Math.max(unitLength[u], lengths[i]);
            }
        }
        List<Integer> order = new ArrayList<>(units.size());
        for (int u = 0; u < units.size(); u++) {
            order.add(u);
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        shuffle(order, rng);
        int chunk = batch * GROUP_BATCHES;
        for (int from = 0; from < order.size(); from += chunk) {
            order.subList(from, Math.min(order.size(), from + chunk)).sort(Comparator.comparingInt(u -> unitLength[u]));
        }
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int u : order) {
            List<Integer> unit = units.get(u);
            if (!current.isEmpty() && current.size() + unit.size() > batch) {
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current = new ArrayList<>();
            }
            current.addAll(unit);
        }
        if (!current.isEmpty()) {
            batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        shuffle(batches, rng);
        return batches;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }
}
