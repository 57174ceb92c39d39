package org.gpt4j.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** The most probable next tokens at one position, from its logits. */
public final class TopTokens {

    /** A candidate token and its softmax probability. */
    public record Candidate(int id, double probability) {
    }

    private TopTokens() {
    }

    /** The k highest-probability ids of {@code logits[offset .. offset+v)}, most probable first. */
    public static List<Candidate> of(float[] logits, int offset, int v, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            sum += StrictMath.exp(logits[offset + i] - max);
        }
        PriorityQueue<Integer> heap = new PriorityQueue<>(
                (a, b) -> a.equals(b) ? 0 : Float.compare(logits[offset + a], logits[offset + b]) != 0
                        ? Float.compare(logits[offset + a], logits[offset + b]) : Integer.compare(b, a));
        for (int i = 0; i < v; i++) {
            heap.add(i);
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<Candidate> out = new ArrayList<>(heap.size());
        while (!heap.isEmpty()) {
            int id = heap.poll();
            out.add(new Candidate(id, StrictMath.exp(logits[offset + id] - max) / sum));
        }
        java.util.Collections.reverse(out);
        return out;
    }
}
