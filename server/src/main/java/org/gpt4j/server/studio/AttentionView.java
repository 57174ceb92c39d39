package org.gpt4j.server.studio;

import java.util.List;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.GptConfig;

/**
 * View c: every layer's and head's attention probabilities as a grid of small heatmaps
 * (bertviz's "model view"), and, for one layer and head, the T x T heatmap with token labels and
 * the steps that make it: Q K^T, scaled by 1/sqrt(hs), causally masked (a GPT; a BERT attends both
 * ways), softmax. Everything is read from the one traced forward pass; the steps from its queries
 * and keys.
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

    /**
     * @param causal whether the model masks later keys (a GPT) or attends both ways (a BERT): the
     *               page greys the masked triangle only for the first
     */
    record Response(int length, int layers, int heads, int thumbnailSize, boolean causal, float[][][][] grid,
                    List<String> labels, Detail detail) {
    }

    /** What the view reads from one traced forward, whichever model made it. */
    private record Source(StudioModel model, int[] ids, int layers, int heads, int width, int headSize,
                          float[][] attentions, float[][] queryKeyValues, boolean causal) {
    }

    private AttentionView() {
    }

    static Response of(LoadedModel model, Params p) {
        int[] ids = model.input(p);
        GptConfig c = model.config();
        LoadedModel.Analysis a = model.analyze(ids);
        return of(new Source(model, ids, c.nLayer(), c.nHead(), c.nEmbd(), c.headSize(), a.inspection().trace().attentions(),
                a.queryKeyValues(), true), p);
    }

    static Response of(LoadedBert model, Params p) {
        int[] ids = model.input(p);
        BertConfig c = model.config();
        LoadedBert.Analysis a = model.analyze(ids);
        return of(new Source(model, ids, c.numHiddenLayers(), c.numAttentionHeads(), c.hiddenSize(), c.headSize(),
                a.trace().attentions(), a.queryKeyValues(), false), p);
    }

    private static Response of(Source s, Params p) {
        int t = s.ids().length;
        float[][][][] grid = new float[s.layers()][s.heads()][][];
        for (int l = 0; l < s.layers(); l++) {
            for (int h = 0; h < s.heads(); h++) {
                grid[l][h] = Matrices.maxPool(s.attentions()[l], h * t * t, t, THUMBNAIL, 3);
            }
        }
        Detail detail = null;
        if (p.has("layer") || p.has("head")) {
            int layer = p.integer("layer", 0, 0, s.layers() - 1);
            int head = p.integer("head", 0, 0, s.heads() - 1);
            detail = detail(s, layer, head);
        }
        return new Response(t, s.layers(), s.heads(), Math.min(t, THUMBNAIL), s.causal(), grid,
                TokensView.labels(s.model(), s.ids(), Math.min(t, DETAIL_CAP)), detail);
    }

    private static Detail detail(Source s, int layer, int head) {
        int t = s.ids().length;
        int shown = Math.min(t, DETAIL_CAP);
        float[][] probs = Matrices.block(s.attentions()[layer], head * t * t, t, shown, shown, 4);
        return new Detail(layer, head, shown, shown < t, TokensView.labels(s.model(), s.ids(), shown), probs,
                steps(s, layer, head));
    }

    /**
     * Q K^T -> scale -> mask -> softmax for the first tokens, from the layer's queries and keys. A
     * BERT's one unpadded sequence masks nothing: its masked step equals the scaled one.
     */
    private static Steps steps(Source s, int layer, int head) {
        int t = s.ids().length;
        int n = Math.min(t, STEPS_CAP);
        int width = s.width();
        int hs = s.headSize();
        float[] qkv = s.queryKeyValues()[layer];
        float[] att = s.attentions()[layer];
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
                masked[q][k] = k <= q || !s.causal() ? scaled[q][k] : null;
                // The softmax row is the model's own, from the trace (the test checks they agree).
                softmax[q][k] = Matrices.round(att[(head * t + q) * t + k], 4);
            }
        }
        return new Steps(n, n < t, scores, scaled, masked, softmax);
    }
}
