package org.gpt4j.server.studio;

import java.nio.file.Path;
import java.util.Arrays;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInput;
import org.gpt4j.model.BertOutput;
import org.gpt4j.model.Trace;
import org.gpt4j.tensor.SoftmaxKernel;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.WordPieceTokenizer;

/**
 * A BERT the studio shows: its directory, the model, its WordPiece tokenizer (or none), and the
 * last traced forward pass. A typed text is read as BERT reads a sentence, {@code [CLS] text [SEP]};
 * token ids are taken as given.
 *
 * <p>A {@link Bert} owns its activation buffers, so every forward runs under this object's lock.
 */
final class LoadedBert implements StudioModel {

    /** One traced forward: attentions and hidden states, and every layer's queries, keys and values. */
    record Analysis(int[] tokens, Trace trace, float[][] queryKeyValues) {
    }

    private final Path directory;
    private final Bert bert;
    private final WordPieceTokenizer tokenizer;
    private Analysis last;

    LoadedBert(Path directory, Bert bert, WordPieceTokenizer tokenizer) {
        this.directory = directory;
        this.bert = bert;
        this.tokenizer = tokenizer;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    WordPieceTokenizer wordPiece() {
        return tokenizer;
    }

    BertConfig config() {
        return bert.config();
    }

    Bert bert() {
        return bert;
    }

    @Override
    public int context() {
        return bert.config().maxPositionEmbeddings();
    }

    @Override
    public int vocabSize() {
        return bert.config().vocabSize();
    }

    @Override
    public String arch() {
        return "bert";
    }

    @Override
    public int[] encode(String text) {
        int[] words = tokenizer.encode(text);
        int[] ids = new int[words.length + 2];
        ids[0] = tokenizer.clsId();
        System.arraycopy(words, 0, ids, 1, words.length);
        ids[ids.length - 1] = tokenizer.sepId();
        return ids;
    }

    /** The traced forward pass over {@code tokens} (cached for the last input). */
    synchronized Analysis analyze(int[] tokens) {
        if (last == null || !Arrays.equals(last.tokens(), tokens)) {
            bert.setTraining(false, 0);
            bert.encode(BertInput.of(1, tokens.length, tokens));
            float[][] qkv = new float[bert.config().numHiddenLayers()][];
            for (int l = 0; l < qkv.length; l++) {
                qkv[l] = bert.queryKeyValues(l);
            }
            last = new Analysis(tokens.clone(), bert.trace(), qkv);
        }
        return last;
    }

    /**
     * The masked LM's probabilities {@code [V]} for position {@code position} of {@code tokens}
     * with that token replaced by [MASK] (the tokenizer names [MASK]'s id).
     */
    synchronized double[] maskedProbabilities(int[] tokens, int position) {
        int[] masked = tokens.clone();
        masked[position] = tokenizer.maskId();
        bert.setTraining(false, 0);
        BertOutput out = bert.predict(BertInput.of(1, masked.length, masked), new int[] {position});
        double[] p = new double[out.vocabSize()];
        SoftmaxKernel.softmax(p, out.mlmLogits(), 0, out.vocabSize());
        return p;
    }
}
