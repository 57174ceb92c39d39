package org.gpt4j.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** The rows of a matrix most similar to a query vector, by cosine similarity. */
public final class NearestNeighbours {

    /** A row and its cosine similarity to the query. */
    public record Neighbour(int index, double cosine) {
    }

    private NearestNeighbours() {
    }

    /**
     * The k rows of {@code table [rows, c]} with the highest cosine to {@code query[qOffset ..
     * qOffset + c)}, most similar first, leaving out row {@code exclude} (-1 for none). Zero rows
     * have cosine 0.
     */
    public static List<Neighbour> byCosine(float[] table, int rows, int c, float[] query, int qOffset, int k, int exclude) {
        double qNorm = 0;
        for (int i = 0; i < c; i++) {
            qNorm += (double) query[qOffset + i] * query[qOffset + i];
        }
        qNorm = Math.sqrt(qNorm);
        PriorityQueue<Neighbour> heap = new PriorityQueue<>((a, b) -> a.cosine() != b.cosine()
                ? Double.compare(a.cosine(), b.cosine()) : Integer.compare(b.index(), a.index()));
        for (int r = 0; r < rows; r++) {
            if (r == exclude) {
                continue;
            }
            double dot = 0;
            double norm = 0;
            int o = r * c;
            for (int i = 0; i < c; i++) {
                float v = table[o + i];
                dot += v * query[qOffset + i];
                norm += v * v;
            }
            double cos = norm == 0 || qNorm == 0 ? 0 : dot / (Math.sqrt(norm) * qNorm);
            heap.add(new Neighbour(r, cos));
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<Neighbour> out = new ArrayList<>(heap);
        out.sort((a, b) -> a.cosine() != b.cosine() ? Double.compare(b.cosine(), a.cosine()) : Integer.compare(a.index(), b.index()));
        return out;
    }
}
