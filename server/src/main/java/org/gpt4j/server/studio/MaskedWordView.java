package org.gpt4j.server.studio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A BERT's view: one token of the input hidden behind [MASK] and the masked LM's guesses for it,
 * read from both sides of the gap (the objective BERT was pre-trained with). The page shows the
 * tokens; clicking one asks for its position here.
 */
final class MaskedWordView {

    static final int TOP = 10;

    record Candidate(int id, String token, double probability) {
    }

    /**
     * @param originalRank how many tokens the model ranks above the one that was there (0: its first guess)
     */
    record Response(int length, List<String> labels, int position, String original, double originalProbability,
                    int originalRank, List<Candidate> candidates) {
    }

    private MaskedWordView() {
    }

    static Response of(LoadedBert m, Params p) {
        if (m.wordPiece() == null) {
            throw ApiError.badRequest(m.directory() + " holds no vocab.txt: the masked-word view needs the tokenizer's [MASK]");
        }
        int[] ids = m.input(p);
        // By default the first word after [CLS]: a typed text starts with it.
        int first = ids.length > 2 && ids[0] == m.wordPiece().clsId() ? 1 : 0;
        int position = p.integer("position", first, 0, ids.length - 1);
        double[] probs = m.maskedProbabilities(ids, position);
        Integer[] order = new Integer[probs.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -probs[i]).thenComparingInt(i -> i));
        List<Candidate> top = new ArrayList<>(TOP);
        for (int k = 0; k < Math.min(TOP, order.length); k++) {
            top.add(new Candidate(order[k], m.tokenText(order[k]), Matrices.round(probs[order[k]], 6)));
        }
        int original = ids[position];
        int rank = 0;
        for (double q : probs) {
            rank += q > probs[original] ? 1 : 0;
        }
        return new Response(ids.length, TokensView.labels(m, ids, ids.length), position, m.tokenText(original),
                Matrices.round(probs[original], 6), rank, top);
    }
}
