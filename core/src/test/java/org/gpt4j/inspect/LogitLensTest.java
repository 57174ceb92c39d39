package org.gpt4j.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.LayerNormPlacement;
import org.gpt4j.model.Trace;
import org.junit.jupiter.api.Test;

class LogitLensTest {

    private static final int[] TOKENS = {3, 1, 4, 1, 5, 9};

    @Test
    void withoutAFinalLayerNormTheLensOfTheLastStateIsTheModelsLogits() {
        Gpt gpt = GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 8, 11).withLayerNorm(LayerNormPlacement.POST), 5);
        Inspection in = Inspector.inspect(gpt, TOKENS);
        float[] last = in.trace().hiddenStates()[2];
        float[] lens = gpt.logitLens(last, 0, TOKENS.length);
        assertThat(lens).containsExactly(in.logits(), within(1e-5f));
    }

    @Test
    void readsOneListPerHiddenStateEndingWithTheRealPrediction() {
        Gpt gpt = GptInit.randomGpt(GptConfig.gpt2(3, 2, 16, 8, 11), 5);
        Inspection in = Inspector.inspect(gpt, TOKENS);
        List<List<TopTokens.Candidate>> lens = LogitLens.read(gpt, in, 4, 3);
        assertThat(lens).hasSize(4).allMatch(l -> l.size() == 3);
        assertThat(lens.get(3)).isEqualTo(TopTokens.of(in.logits(), 4 * 11, 11, 3));
        // Reading leaves the forward's activations alone: the trace is unchanged afterwards.
        Trace after = gpt.trace();
        assertThat(after.hiddenStates()[3]).containsExactly(in.trace().hiddenStates()[3]);
    }

    @Test
    void attentionRebuiltFromQueriesAndKeysMatchesTheTracedProbabilities() {
        GptConfig config = GptConfig.gpt2(2, 2, 16, 8, 11);
        Gpt gpt = GptInit.randomGpt(config, 9);
        Inspection in = Inspector.inspect(gpt, TOKENS);
        int t = TOKENS.length;
        int c = config.nEmbd();
        int hs = config.headSize();
        for (int layer = 0; layer < 2; layer++) {
            float[] qkv = gpt.queryKeyValues(layer);
            for (int h = 0; h < 2; h++) {
                for (int q = 0; q < t; q++) {
                    double[] p = new double[q + 1];
                    double sum = 0;
                    for (int k = 0; k <= q; k++) {
                        double dot = 0;
                        for (int i = 0; i < hs; i++) {
                            dot += qkv[q * 3 * c + h * hs + i] * qkv[k * 3 * c + c + h * hs + i];
                        }
                        p[k] = Math.exp(dot / Math.sqrt(hs));
                        sum += p[k];
                    }
                    for (int k = 0; k <= q; k++) {
                        assertThat(in.trace().attention(layer, 0, h, q, k)).isCloseTo((float) (p[k] / sum), within(1e-5f));
                    }
                }
            }
        }
    }
}
