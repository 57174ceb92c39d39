package org.gpt4j.server.studio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.gpt4j.inspect.NearestNeighbours;
import org.gpt4j.inspect.Pca;
import org.gpt4j.inspect.Tsne;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.GptConfig;

/**
 * View e: the input's vectors at one depth reduced to 2-D, by PCA or t-SNE (both in
 * {@code org.gpt4j.inspect}): the token embeddings ({@code wte} rows, layer -1), or hidden state
 * i of the trace (0 = embedding + position, the last after the final LayerNorm). For one chosen
 * token, its nearest neighbours by cosine among the input's vectors at that depth and among the
 * whole vocabulary's embeddings. A BERT's the same way, at its depths (its blocks are post-LN).
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

    /** What the view reads of a model: its width, its depths and their names, its vectors at each. */
    private record Source(StudioModel model, int width, int depths, List<String> layerNames,
                          Function<int[], float[][]> hiddenStates, float[] wte) {
    }

    private EmbeddingsView() {
    }

    static Response of(LoadedModel model, Params p) {
        GptConfig c = model.config();
        return of(new Source(model, c.nEmbd(), c.nLayer(), layerNames(c),
                ids -> model.analyze(ids).inspection().trace().hiddenStates(), model.gpt().parameters().data("wte.weight")), p);
    }

    /** A BERT's: its word embeddings, the embeddings' LayerNorm output, then each post-LN block's output. */
    static Response of(LoadedBert model, Params p) {
        BertConfig c = model.config();
        List<String> names = new ArrayList<>();
        names.add("word embedding (wte)");
        names.add("embeddings: word + position + segment, LayerNorm (input of block 0)");
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            names.add("after block " + i);
        }
        return of(new Source(model, c.hiddenSize(), c.numHiddenLayers(), names, ids -> model.analyze(ids).trace().hiddenStates(),
                model.bert().parameters().data("wte.weight")), p);
    }

    private static Response of(Source s, Params p) {
        StudioModel model = s.model();
        int[] ids = model.input(p);
        int layer = p.integer("layer", -1, -1, s.depths());
        String method = p.choice("method", "pca", "pca", "tsne");
        int n = Math.min(ids.length, POINTS_CAP);
        int position = p.integer("position", n - 1, 0, n - 1);
        int width = s.width();
        float[] vectors = vectors(s, ids, layer, n);

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
        return new Response(layer, s.layerNames(), method, n, n < ids.length, points, explained,
                neighbours(s, ids, vectors, n, position));
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

    private static float[] vectors(Source s, int[] ids, int layer, int n) {
        int width = s.width();
        if (layer >= 0) {
            float[] h = s.hiddenStates().apply(ids)[layer];
            return java.util.Arrays.copyOf(h, n * width);
        }
        float[] wte = s.wte();
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(wte, ids[i] * width, out, i * width, width);
        }
        return out;
    }

    private static Neighbours neighbours(Source s, int[] ids, float[] vectors, int n, int position) {
        StudioModel model = s.model();
        int width = s.width();
        List<Neighbour> inInput = new ArrayList<>();
        for (NearestNeighbours.Neighbour nb : NearestNeighbours.byCosine(vectors, n, width, vectors, position * width,
                NEIGHBOURS, position)) {
            inInput.add(new Neighbour(nb.index(), ids[nb.index()], model.tokenText(ids[nb.index()]), Matrices.round(nb.cosine(), 4)));
        }
        float[] wte = s.wte();
        int vocab = model.tokenizer() == null ? model.vocabSize() : Math.min(model.vocabSize(), model.tokenizer().vocabSize());
        List<Neighbour> inVocabulary = new ArrayList<>();
        for (NearestNeighbours.Neighbour nb : NearestNeighbours.byCosine(wte, vocab, width, vectors, position * width,
                NEIGHBOURS, -1)) {
            inVocabulary.add(new Neighbour(-1, nb.index(), model.tokenText(nb.index()), Matrices.round(nb.cosine(), 4)));
        }
        return new Neighbours(position, model.tokenText(ids[position]), inInput, inVocabulary);
    }
}
