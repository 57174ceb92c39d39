package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.Bert;
import org.junit.jupiter.api.Test;

/**
 * Sentence pairs for next-sentence prediction: every pair is {@code [CLS] A [SEP] B [SEP]} within
 * the length, segment 0 through the first [SEP] and 1 after; half the B's are random text from
 * another document, the others the text that follows A in its own document; one seed gives one
 * set of pairs; and a padded, masked batch of them is what {@link Bert} reads.
 */
class NextSentencePairsTest {

    private static final int PAD = 0;
    private static final int CLS = 1;
    private static final int SEP = 2;
    private static final int MASK = 3;
    private static final int FIRST_WORD = 10;
    /** Documents of 8-20 sentences of 3-12 words; word ids count up through the corpus, so order shows. */
    private static final int DOCUMENTS = 200;

    static List<List<int[]>> corpus(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<int[]>> docs = new ArrayList<>();
        int next = FIRST_WORD;
        for (int d = 0; d < DOCUMENTS; d++) {
            List<int[]> doc = new ArrayList<>();
            for (int s = 0, n = 8 + rng.nextInt(13); s < n; s++) {
                int[] sentence = new int[3 + rng.nextInt(10)];
                for (int i = 0; i < sentence.length; i++) {
                    sentence[i] = next++;
                }
                doc.add(sentence);
            }
            docs.add(doc);
        }
        return docs;
    }

    @Test
    void pairsAreWellFormedAndHalfTheSecondSentencesAreRandom() {
        List<List<int[]>> docs = corpus(1);
        int[] documentOf = new int[FIRST_WORD + 40_000];
        for (int d = 0; d < docs.size(); d++) {
            for (int[] s : docs.get(d)) {
                for (int w : s) {
                    documentOf[w] = d;
                }
            }
        }
        int maxLength = 48;
        List<SentencePair> pairs = new NextSentencePairs(CLS, SEP, maxLength).pairs(docs, 7);
        assertThat(pairs.size()).isGreaterThan(500);
        int random = 0;
        for (SentencePair p : pairs) {
            int[] t = p.tokens();
            assertThat(t.length).isLessThanOrEqualTo(maxLength);
            assertThat(t[0]).isEqualTo(CLS);
            assertThat(t[t.length - 1]).isEqualTo(SEP);
            int sep = 1;
            while (t[sep] != SEP) {
                sep++;
            }
            assertThat(sep).as("A is not empty").isGreaterThan(1);
            assertThat(t.length - 1 - sep).as("B is not empty").isGreaterThan(1);
            for (int i = 0; i < t.length; i++) {
                assertThat(p.tokenTypes()[i]).isEqualTo(i <= sep ? 0 : 1);
            }
            int lastA = t[sep - 1];
            int firstB = t[sep + 1];
            if (p.randomNext()) {
                random++;
                assertThat(documentOf[firstB]).as("a random B comes from another document").isNotEqualTo(documentOf[lastA]);
            } else {
                assertThat(documentOf[firstB]).isEqualTo(documentOf[lastA]);
                assertThat(firstB).as("B follows A").isGreaterThan(lastA);
                for (int i = sep + 2; i < t.length - 1; i++) {
                    assertThat(t[i]).as("B is text in order").isEqualTo(t[i - 1] + 1);
                }
            }
        }
        assertThat((double) random / pairs.size()).isCloseTo(0.5, offset(0.06));
        assertThat(new NextSentencePairs(CLS, SEP, maxLength).pairs(docs, 7))
                .usingRecursiveFieldByFieldElementComparator().isEqualTo(pairs);
    }

    @Test
    void aPaddedMaskedBatchIsWhatBertReads() {
        List<SentencePair> pairs = new NextSentencePairs(CLS, SEP, 16).pairs(corpus(2), 3).subList(0, 4);
        MlmMasker masker = new MlmMasker(MASK, FIRST_WORD + 40_000, new int[] {PAD, CLS, SEP}, 0.15, 5);
        BertBatch batch = BertBatch.of(pairs, 16, PAD, masker, 0, true);
        assertThat(batch.input().batch()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            int n = pairs.get(i).tokens().length;
            assertThat(batch.nspLabels()[i]).isEqualTo(pairs.get(i).nspLabel());
            for (int t = 0; t < 16; t++) {
                int k = i * 16 + t;
                assertThat(batch.input().attentionMask()[k]).isEqualTo(t < n ? 1 : 0);
                if (t >= n) {
                    assertThat(batch.input().tokens()[k]).isEqualTo(PAD);
                    assertThat(batch.mlmLabels()[k]).isEqualTo(Bert.IGNORE);
                    assertThat(batch.input().tokenTypes()[k]).isZero();
                } else if (batch.mlmLabels()[k] == Bert.IGNORE) {
                    assertThat(batch.input().tokens()[k]).isEqualTo(pairs.get(i).tokens()[t]);
                } else {
                    assertThat(batch.mlmLabels()[k]).isEqualTo(pairs.get(i).tokens()[t]);
                }
            }
        }
        assertThatThrownBy(() -> BertBatch.of(pairs, 4, PAD, masker, 0, true)).hasMessageContaining("more than the 4 positions");
        assertThatThrownBy(() -> new NextSentencePairs(CLS, SEP, 4)).hasMessageContaining("at least 5 positions");
    }
}
