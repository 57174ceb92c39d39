package org.gpt4j.server.studio;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.inspect.NearestNeighbours;
import org.gpt4j.inspect.Pca;
import org.gpt4j.inspect.Tsne;
import org.gpt4j.model.GptConfig;

/**
 * View e: the input's vectors at one depth reduced to 2-D, by PCA or t-SNE (both in
 * {@code org.gpt4j.inspect}): the token embeddings ({@code wte} rows, layer -1), or hidden state
 * i of the trace (0 = embedding + position, the last after the final LayerNorm). For one chosen
 * token, its nearest neighbours by cosine among the input's vectors at that depth and among the
 * whole vocabulary's embeddings.
 */
final class EmbeddingsView {

    static final int POINTS_CAP = 256;
    static final int NEIGHBOURS = 8;

    record Point(int position, int id, String text, float x, float y) {
    }

    record Neighbour(int position, int id, String text, float cosine) {
    }

    record Neighbours(int position, String text, List<Neighbour> inInput, List<Neighbour> inVocabulary) {
    }

    record Response(int layer, List<String> layerNames, String method, int shown, boolean truncated, List<Point> points,
                    float[] explainedVariance, Neighbours neighbours) {
    }

    private EmbeddingsView() {
    }

    static Response of(LoadedModel model, Params p) {
        int[] ids = model.input(p);
        GptConfig c = model.config();
        int layer = p.integer("layer", -1, -1, c.nLayer());
        String method = p.choice("method", "pca", "pca", "tsne");
        int n = Math.min(ids.length, POINTS_CAP);
        int position = p.integer("position", n - 1, 0, n - 1);
        int width = c.nEmbd();
        float[] vectors = vectors(model, ids, layer, n);

        double[] xy;
        float[] explained = null;
        if (method.equals("pca")) {
            Pca pca = Pca.fit(vectors, 0, n, width, Math.min(2, width));
            xy = new double[2 * n];
            for (int i = 0; i < n; i++) {
                xy[2 * i] = pca.coordinates()[i * pca.k()];
                xy[2 * i + 1] = pca.k() > 1 ? pca.coordinates()[i * pca.k() + 1] : 0;
            }
            explained = new float[pca.k()];
            for (int j = 0; j < pca.k(); j++) {
                explained[j] = Matrices.round(pca.explainedVarianceRatio()[j], 4);
            }
        } else {
            long seed = p.integer("seed", 1, 0, Integer.MAX_VALUE);
            xy = Tsne.embed(vectors, 0, n, width, new Tsne.Options(p.number("perplexity", 30, 1, 100), 500, seed));
        }
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(new Point(i, ids[i], model.tokenText(ids[i]), Matrices.round(xy[2 * i], 4), Matrices.round(xy[2 * i + 1], 4)));
        }
        return new Response(layer, layerNames(c), method, n, n < ids.length, points, explained,
                neighbours(model, ids, vectors, n, position));
    }

    /** Names of layers -1 .. n_layer, as the UI's slider shows them. */
    static List<String> layerNames(GptConfig c) {
        List<String> names = new ArrayList<>();
        names.add("token embedding (wte)");
        names.add("embedding + position (input of block 0)");
        for (int i = 1; i < c.nLayer(); i++) {
            names.add("after block " + (i - 1));
        }
        names.add("after block " + (c.nLayer() - 1) + (c.layerNorm() == org.gpt4j.model.LayerNormPlacement.PRE
                ? " + final LayerNorm" : ""));
        return names;
    }

    private static float[] vectors(LoadedModel model, int[] ids, int layer, int n) {
        int width = model.config().nEmbd();
        if (layer >= 0) {
            float[] h = model.analyze(ids).inspection().trace().hiddenStates()[layer];
            return java.util.Arrays.copyOf(h, n * width);
        }
        float[] wte = model.gpt().parameters().data("wte.weight");
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(wte, ids[i] * width, out, i * width, width);
        }
        return out;
    }

    private static Neighbours neighbours(LoadedModel model, int[] ids, float[] vectors, int n, int position) {
        GptConfig c = model.config();
        int width = c.nEmbd();
        List<Neighbour> inInput = new ArrayList<>();
        for (NearestNeighbours.Neighbour nb : NearestNeighbours.byCosine(vectors, n, width, vectors, position * width,
                NEIGHBOURS, position)) {
            inInput.add(new Neighbour(nb.index(), ids[nb.index()], model.tokenText(ids[nb.index()]), Matrices.round(nb.cosine(), 4)));
        }
        float[] wte = model.gpt().parameters().data("wte.weight");
        int vocab = model.tokenizer() == null ? c.vocabSize() : Math.min(c.vocabSize(), model.tokenizer().vocabSize());
        List<Neighbour> inVocabulary = new ArrayList<>();
        for (NearestNeighbours.Neighbour nb : NearestNeighbours.byCosine(wte, vocab, width, vectors, position * width,
                NEIGHBOURS, -1)) {
            inVocabulary.add(new Neighbour(-1, nb.index(), model.tokenText(nb.index()), Matrices.round(nb.cosine(), 4)));
        }
        return new Neighbours(position, model.tokenText(ids[position]), inInput, inVocabulary);
    }
}
