package org.gpt4j.server.studio;

import java.util.List;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.PositionalEncoding;
import org.gpt4j.model.Trace;

/**
 * View d: the position signal, and what attention does without it. The positional-encoding
 * matrix (learned {@code wpe} or the fixed sinusoids) as a heatmap with the cosine similarity of
 * its rows, and one layer's attention over the input side by side: as the model runs it, and the
 * same forward pass with the position signal removed (the seeds' experiment).
 */
final class PositionsView {

    static final int TABLE_ROWS = 128;
    static final int TABLE_COLS = 192;
    static final int SIMILARITY = 64;
    static final int SHOWN_CAP = 128;

    /** Rows 0.. of the table, every {@code colStride}-th channel. */
    record Table(int positionsTotal, int channelsTotal, int rows, int cols, int colStride, float[][] values,
                 float[][] similarity) {
    }

    record Response(String encoding, Table table, int layer, Integer head, int shown, boolean truncated,
                    List<String> labels, float[][] withPositions, float[][] withoutPositions, Float lossWith,
                    Float lossWithout, float[] changeByLayer) {
    }

    private PositionsView() {
    }

    static Response of(LoadedModel model, Params p) {
        int[] ids = model.input(p);
        GptConfig c = model.config();
        int layer = p.integer("layer", 0, 0, c.nLayer() - 1);
        Integer head = p.has("head") ? p.integer("head", 0, 0, c.nHead() - 1) : null;
        LoadedModel.Analysis with = model.analyze(ids);
        LoadedModel.Analysis without = model.analyzeWithoutPositions(ids);
        int t = ids.length;
        int shown = Math.min(t, SHOWN_CAP);
        Trace tw = with.inspection().trace();
        Trace to = without.inspection().trace();
        float[] change = new float[c.nLayer()];
        for (int l = 0; l < c.nLayer(); l++) {
            double sum = 0;
            for (int i = 0; i < tw.attentions()[l].length; i++) {
                sum += Math.abs(tw.attentions()[l][i] - to.attentions()[l][i]);
            }
            // Mean over the causal cells: NH * T(T+1)/2 of them carry probability.
            change[l] = Matrices.round(sum / (c.nHead() * t * (t + 1) / 2.0), 4);
        }
        return new Response(ArchitectureView.name(c.positionalEncoding()), table(model), layer, head, shown, shown < t,
                TokensView.labels(model, ids, shown), attention(tw, layer, head, shown), attention(to, layer, head, shown),
                with.inspection().loss(), without.inspection().loss(), change);
    }

    /** One head's probabilities, or the mean over heads when {@code head} is null. */
    private static float[][] attention(Trace trace, int layer, Integer head, int shown) {
        int t = trace.length();
        float[][] out = new float[shown][shown];
        int from = head == null ? 0 : head;
        int to = head == null ? trace.nHead() : head + 1;
        for (int q = 0; q < shown; q++) {
            for (int k = 0; k <= q; k++) {
                double sum = 0;
                for (int h = from; h < to; h++) {
                    sum += trace.attention(layer, 0, h, q, k);
                }
                out[q][k] = Matrices.round(sum / (to - from), 4);
            }
        }
        return out;
    }

    private static Table table(LoadedModel model) {
        GptConfig c = model.config();
        int rows = Math.min(c.nPositions(), TABLE_ROWS);
        float[] pe = model.gpt().positionTable(Math.max(rows, Math.min(c.nPositions(), SIMILARITY)));
        if (c.positionalEncoding() == PositionalEncoding.NONE || pe == null) {
            return null;
        }
        int width = c.nEmbd();
        int stride = (width + TABLE_COLS - 1) / TABLE_COLS;
        int cols = (width + stride - 1) / stride;
        float[][] values = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                values[r][j] = Matrices.round(pe[r * width + j * stride], 3);
            }
        }
        int s = Math.min(c.nPositions(), SIMILARITY);
        double[] norms = new double[s];
        for (int r = 0; r < s; r++) {
            double n = 0;
            for (int i = 0; i < width; i++) {
                n += (double) pe[r * width + i] * pe[r * width + i];
            }
            norms[r] = Math.sqrt(n);
        }
        float[][] similarity = new float[s][s];
        for (int a = 0; a < s; a++) {
            for (int b = 0; b <= a; b++) {
                double dot = 0;
                for (int i = 0; i < width; i++) {
                    dot += (double) pe[a * width + i] * pe[b * width + i];
                }
                float cos = norms[a] == 0 || norms[b] == 0 ? 0 : Matrices.round(dot / (norms[a] * norms[b]), 3);
                similarity[a][b] = cos;
                similarity[b][a] = cos;
            }
        }
        return new Table(c.nPositions(), width, rows, cols, stride, values, similarity);
    }
}
