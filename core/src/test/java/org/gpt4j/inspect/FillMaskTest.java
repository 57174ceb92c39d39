package org.gpt4j.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.BertFixture;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInput;
import org.junit.jupiter.api.Test;

/**
 * Fill-mask and sentence embeddings on the PyTorch-checked BERT fixture: the candidates at each
 * [MASK] are the reference logits' softmax, most probable first; CLS and mean pooling read the
 * reference's last hidden states; and a padded sequence embeds as it does alone, unpadded.
 */
class FillMaskTest {

    private static final int MASK = 4;

    @Test
    void candidatesAreTheSoftmaxOfTheReferenceLogitsAtEachMask() throws IOException {
        BertFixture fx = BertFixture.load();
        Bert bert = BertDirectory.load(fx.dir());
        List<FillMask.MaskPrediction> predictions = FillMask.predict(bert, fx.input(), MASK, 5);
        int t = fx.input().length();
        int v = bert.config().vocabSize();
        assertThat(predictions).extracting(p -> p.sequence() * t + p.position()).containsExactly(2, 13, 18);
        try (SafetensorsFile ref = SafetensorsFile.open(fx.reference())) {
            float[] logits = ref.readFloats("mlm_logits");
            for (FillMask.MaskPrediction p : predictions) {
                int row = p.sequence() * t + p.position();
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < v; i++) {
                    max = Math.max(max, logits[row * v + i]);
                }
                double sum = 0;
                for (int i = 0; i < v; i++) {
                    sum += Math.exp(logits[row * v + i] - max);
                }
                assertThat(p.candidates()).hasSize(5);
                for (int k = 0; k < 5; k++) {
                    TopTokens.Candidate c = p.candidates().get(k);
                    assertThat(c.probability()).isCloseTo(Math.exp(logits[row * v + c.id()] - max) / sum, offset(1e-6));
                    if (k > 0) {
                        assertThat(c.probability()).isLessThanOrEqualTo(p.candidates().get(k - 1).probability());
                    }
                }
                int best = 0;
                for (int i = 1; i < v; i++) {
                    best = logits[row * v + i] > logits[row * v + best] ? i : best;
                }
                assertThat(p.candidates().get(0).id()).isEqualTo(best);
            }
        }
        assertThatThrownBy(() -> FillMask.predict(bert, BertInput.of(1, 2, new int[] {2, 3}), MASK, 5))
                .hasMessageContaining("no [MASK] token (id 4)");
    }

    @Test
    void poolingReadsTheLastHiddenStatesAndIgnoresPadding() throws IOException {
        BertFixture fx = BertFixture.load();
        Bert bert = BertDirectory.load(fx.dir());
        int t = fx.input().length();
        int c = bert.config().hiddenSize();
        float[][] cls = SentenceEmbeddings.embed(bert, fx.input(), SentenceEmbeddings.Pooling.CLS);
        float[][] mean = SentenceEmbeddings.embed(bert, fx.input(), SentenceEmbeddings.Pooling.MEAN);
        try (SafetensorsFile ref = SafetensorsFile.open(fx.reference())) {
            float[] h = ref.readFloats("hidden_states." + bert.config().numHiddenLayers());
            for (int b = 0; b < 2; b++) {
                int tokens = b == 0 ? 12 : 9;
                for (int i = 0; i < c; i++) {
                    assertThat(cls[b][i]).isCloseTo(h[b * t * c + i], offset(1e-5f));
                    double sum = 0;
                    for (int ti = 0; ti < tokens; ti++) {
                        sum += h[(b * t + ti) * c + i];
                    }
                    assertThat((double) mean[b][i]).isCloseTo(sum / tokens, offset(1e-5));
                }
            }
        }
        // the second pair alone, without its three padding positions
        int[] ids = Arrays.copyOfRange(fx.input().tokens(), t, t + 9);
        int[] types = Arrays.copyOfRange(fx.input().tokenTypes(), t, t + 9);
        BertInput alone = new BertInput(1, 9, ids, types, null);
        float[][] aloneMean = SentenceEmbeddings.embed(bert, alone, SentenceEmbeddings.Pooling.MEAN);
        float[][] aloneCls = SentenceEmbeddings.embed(bert, alone, SentenceEmbeddings.Pooling.CLS);
        for (int i = 0; i < c; i++) {
            assertThat(aloneMean[0][i]).isCloseTo(mean[1][i], offset(1e-5f));
            assertThat(aloneCls[0][i]).isCloseTo(cls[1][i], offset(1e-5f));
        }
        assertThatThrownBy(() -> SentenceEmbeddings.Pooling.fromName("max")).hasMessageContaining("unknown pooling 'max'");
    }
}
