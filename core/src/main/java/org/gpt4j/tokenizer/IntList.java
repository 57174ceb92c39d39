package org.gpt4j.tokenizer;

import java.util.Arrays;

/** A growable int array, to avoid boxing. */
final class IntList {
    private int[] data;
    private int size;

    IntList(int capacity) {
        data = new int[Math.max(1, capacity)];
    }

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    void addAll(int[] values) {
        addAll(values, values.length);
    }

    void addAll(int[] values, int n) {
        addAll(values, 0, n);
    }

    void addAll(int[] values, int from, int n) {
        if (size + n > data.length) {
            data = Arrays.copyOf(data, Math.max(size + n, data.length * 2));
        }
        System.arraycopy(values, from, data, size, n);
        size += n;
    }

    int get(int i) {
        return data[i];
    }

    /** The last element; the list must not be empty. */
    int last() {
        return data[size - 1];
    }

    int size() {
        return size;
    }

    /** Drops the elements from index {@code n} on. */
    void truncate(int n) {
        size = Math.min(size, n);
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
