package org.gpt4j.server.studio;

import java.util.List;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.Trace;

/**
 * View c: every layer's and head's attention probabilities as a grid of small heatmaps
 * (bertviz's "model view"), and, for one layer and head, the T x T heatmap with token labels and
 * the steps that make it: Q K^T, scaled by 1/sqrt(hs), causally masked, softmax. Everything is
 * read from the one traced forward pass; the steps from its queries and keys.
 *
 * <p>Long inputs stay light: thumbnails are max-pooled to at most {@link #THUMBNAIL} cells a
 * side, the detailed heatmap shows the first {@link #DETAIL_CAP} tokens and the steps the first
 * {@link #STEPS_CAP}, each saying when it is cut.
 */
final class AttentionView {

    static final int THUMBNAIL = 32;
    static final int DETAIL_CAP = 256;
    static final int STEPS_CAP = 48;

    /** The four matrices of the attention steps; masked cells are null. */
    record Steps(int shown, boolean truncated, float[][] scores, float[][] scaled, Float[][] masked, float[][] softmax) {
    }

    record Detail(int layer, int head, int shown, boolean truncated, List<String> labels, float[][] probabilities,
                  Steps steps) {
    }

    record Response(int length, int layers, int heads, int thumbnailSize, float[][][][] grid, List<String> labels,
                    Detail detail) {
    }

    private AttentionView() {
    }

    static Response of(LoadedModel model, Params p) {
        int[] ids = model.input(p);
        GptConfig c = model.config();
        int t = ids.length;
        LoadedModel.Analysis a = model.analyze(ids);
        Trace trace = a.inspection().trace();
        float[][][][] grid = new float[c.nLayer()][c.nHead()][][];
        for (int l = 0; l < c.nLayer(); l++) {
            for (int h = 0; h < c.nHead(); h++) {
                grid[l][h] = Matrices.maxPool(trace.attentions()[l], h * t * t, t, THUMBNAIL, 3);
            }
        }
        Detail detail = null;
        if (p.has("layer") || p.has("head")) {
            int layer = p.integer("layer", 0, 0, c.nLayer() - 1);
            int head = p.integer("head", 0, 0, c.nHead() - 1);
            detail = detail(model, a, ids, layer, head);
        }
        return new Response(t, c.nLayer(), c.nHead(), Math.min(t, THUMBNAIL), grid,
                TokensView.labels(model, ids, Math.min(t, DETAIL_CAP)), detail);
    }

    private static Detail detail(LoadedModel model, LoadedModel.Analysis a, int[] ids, int layer, int head) {
        int t = ids.length;
        int shown = Math.min(t, DETAIL_CAP);
        float[] att = a.inspection().trace().attentions()[layer];
        float[][] probs = Matrices.block(att, head * t * t, t, shown, shown, 4);
        return new Detail(layer, head, shown, shown < t, TokensView.labels(model, ids, shown), probs,
                steps(model, a, layer, head, t));
    }

    /** Q K^T -> scale -> mask -> softmax for the first tokens, from the layer's queries and keys. */
    private static Steps steps(LoadedModel model, LoadedModel.Analysis a, int layer, int head, int t) {
        GptConfig c = model.config();
        int n = Math.min(t, STEPS_CAP);
        int width = c.nEmbd();
        int hs = c.headSize();
        float[] qkv = a.queryKeyValues()[layer];
        float[] att = a.inspection().trace().attentions()[layer];
        double scale = 1 / Math.sqrt(hs);
        float[][] scores = new float[n][n];
        float[][] scaled = new float[n][n];
        Float[][] masked = new Float[n][n];
        float[][] softmax = new float[n][n];
        for (int q = 0; q < n; q++) {
            int qo = q * 3 * width + head * hs;
            for (int k = 0; k < n; k++) {
                int ko = k * 3 * width + width + head * hs;
                double dot = 0;
                for (int i = 0; i < hs; i++) {
                    dot += qkv[qo + i] * qkv[ko + i];
                }
                scores[q][k] = Matrices.round(dot, 3);
                scaled[q][k] = Matrices.round(dot * scale, 3);
                masked[q][k] = k <= q ? scaled[q][k] : null;
                // The softmax row is the model's own, from the trace (the test checks they agree).
                softmax[q][k] = Matrices.round(att[(head * t + q) * t + k], 4);
            }
        }
        return new Steps(n, n < t, scores, scaled, masked, softmax);
    }
}
