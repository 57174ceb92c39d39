package org.gpt4j.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gpt4j.model.Gpt;
import org.gpt4j.tensor.SoftmaxKernel;

/**
 * Beam search as Hugging Face's {@code BeamSearchScorer} runs it. Each step scores every
 * continuation of every beam by its running sum of log-probabilities (the processors see the
 * log-softmax), takes the best 2 x num_beams candidates, and walks them best first: an EOS
 * candidate among the top num_beams finishes a hypothesis, any other continues as a beam until
 * num_beams beams are filled. Initially only beam 0 is live (the others start at -1e9), so the
 * first step's beams are distinct. At the end, running beams join the finished ones and the best
 * num_return_sequences are returned.
 */
final class BeamSearch {

    private static final double DEAD = -1e9;

    private final Gpt gpt;
    private final GenerationConfig config;
    private final List<LogitsProcessor> processors;

    BeamSearch(Gpt gpt, GenerationConfig config) {
        this.gpt = gpt;
        this.config = config;
        this.processors = LogitsProcessors.of(config);
    }

    List<GeneratedSequence> run(int[] prompt) {
        int k = config.numBeams();
        int v = gpt.config().vocabSize();
        int p = prompt.length;
        int maxNew = config.maxNewTokens();
        int eos = config.eosTokenId().orElse(-1);
        BeamHypotheses finished = new BeamHypotheses(k, config.lengthPenalty(), config.earlyStopping(), maxNew);

        if ((long) k * v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("num_beams " + k + " x vocab_size " + v
                    + " candidates per step is more than an int counts: use fewer beams");
        }
        // Room for the tokens generated so far, grown as they come: max_new_tokens may be any int.
        int[][] sequences = new int[k][Generator.room(p, maxNew)];
        int[][] prompts = new int[k][];
        for (int b = 0; b < k; b++) {
            System.arraycopy(prompt, 0, sequences[b], 0, p);
            prompts[b] = prompt;
        }
        double[] beamScores = new double[k];
        Arrays.fill(beamScores, 1, k, DEAD);
        ContextWindow window = new ContextWindow(gpt, k);
        float[] logits = window.prefill(prompts);
        float[] row = new float[v];
        int generated = 0;
        boolean done = false;
        while (true) {
            Candidates top = new Candidates(2 * k);
            for (int b = 0; b < k; b++) {
                SoftmaxKernel.logSoftmax(row, logits, b * v, v);
                for (LogitsProcessor processor : processors) {
                    processor.process(sequences[b], p + generated, row);
                }
                for (int t = 0; t < v; t++) {
                    top.offer(row[t] + beamScores[b], b * v + t);
                }
            }
            int length = generated + 1; // the generated length of the candidates
            int[] sources = new int[k];
            int[] tokens = new int[k];
            double[] nextScores = new double[k];
            int filled = 0;
            for (int rank = 0; rank < top.size() && filled < k; rank++) {
                int beam = top.index(rank) / v;
                int token = top.index(rank) % v;
                if (config.isEos(token)) {
                    if (rank < k) {
                        finished.add(Arrays.copyOfRange(sequences[beam], p, p + generated), top.score(rank), length, true);
                    }
                } else {
                    sources[filled] = beam;
                    tokens[filled] = token;
                    nextScores[filled] = top.score(rank);
                    filled++;
                }
            }
            if (filled < k) {
                throw new IllegalStateException("beam search found only " + filled + " continuations for " + k
                        + " beams (vocabulary too small or every token forbidden)");
            }
            done = finished.isDone(top.score(0), length);
            int[][] next = new int[k][];
            for (int b = 0; b < k; b++) {
                int[] source = sequences[sources[b]];
                next[b] = p + generated < source.length ? source.clone() : Generator.grow(source);
                next[b][p + generated] = tokens[b];
            }
            sequences = next;
            beamScores = nextScores;
            generated++;
            if (done || generated == maxNew) {
                break;
            }
            window.reorder(sources);
            logits = window.append(tokens);
        }
        if (!done) {
            for (int b = 0; b < k; b++) {
                finished.add(Arrays.copyOfRange(sequences[b], p, p + generated), beamScores[b], generated, false);
            }
        }
        List<GeneratedSequence> out = new ArrayList<>();
        for (BeamHypotheses.Hypothesis h : finished.best(config.numReturnSequences())) {
            // Hugging Face's finalize pads EOS back onto exactly the hypotheses that ended with one
            // (the first eos_token_id, whichever of them ended it).
            int[] tokens = h.endedWithEos() ? append(h.tokens(), eos) : h.tokens();
            out.add(new GeneratedSequence(tokens, h.score(), h.endedWithEos() ? FinishReason.EOS : FinishReason.LENGTH));
        }
        return out;
    }

    private static int[] append(int[] tokens, int id) {
        int[] out = Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = id;
        return out;
    }

    /** The n best (score, index) pairs seen, best first; the lower index first on equal scores. */
    private static final class Candidates {
        private final double[] scores;
        private final int[] indices;
        private int size;

        Candidates(int n) {
            scores = new double[n];
            indices = new int[n];
        }

        void offer(double score, int index) {
            if (size == scores.length && !(score > scores[size - 1])) {
                return;
            }
            int i = size == scores.length ? size - 1 : size++;
            while (i > 0 && score > scores[i - 1]) {
                scores[i] = scores[i - 1];
                indices[i] = indices[i - 1];
                i--;
            }
            scores[i] = score;
            indices[i] = index;
        }

        int size() {
            return size;
        }

        double score(int rank) {
            return scores[rank];
        }

        int index(int rank) {
            return indices[rank];
        }
    }
}
