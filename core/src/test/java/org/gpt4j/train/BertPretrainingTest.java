package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInit;
import org.junit.jupiter.api.Test;

/**
 * A small BERT learns from its two tasks: on documents that each draw their words from one of
 * nine topics of four words (so a masked word is one of four once the context shows the topic,
 * ln 4 against ln V, and a random sentence B mostly changes topic), AdamW on MLM + NSP with
 * dynamic masking brings the MLM loss from ln V towards ln 4 and next-sentence accuracy well
 * above chance.
 */
class BertPretrainingTest {

    private static final int PAD = 0;
    private static final int CLS = 1;
    private static final int SEP = 2;
    private static final int MASK = 3;
    private static final int V = 40;

    @Test
    void mlmLossFallsAndNextSentenceIsLearned() {
        SplittableRandom rng = new SplittableRandom(1);
        List<List<int[]>> docs = new ArrayList<>();
        for (int d = 0; d < 300; d++) {
            List<int[]> doc = new ArrayList<>();
            int topic = 4 + 4 * rng.nextInt(9);
            for (int s = 0; s < 4; s++) {
                int[] sentence = new int[3 + rng.nextInt(3)];
                for (int i = 0; i < sentence.length; i++) {
                    sentence[i] = topic + rng.nextInt(4);
                }
                doc.add(sentence);
            }
            docs.add(doc);
        }
        int length = 16;
        List<SentencePair> pairs = new NextSentencePairs(CLS, SEP, length).pairs(docs, 2);
        BertConfig config = new BertConfig(V, 32, 2, 2, 64, length, 2, 1e-12, org.gpt4j.model.Activation.GELU, 0.0);
        Bert bert = BertInit.randomBert(config, 3);
        AdamW adamw = new AdamW(bert.parameters(), 0.9, 0.999, 1e-8, 0.01);
        MlmMasker masker = new MlmMasker(MASK, V, new int[] {PAD, CLS, SEP}, 0.15, 4);
        int batch = 16;
        double first = 0;
        double last = 0;
        int nspRight = 0;
        int nspSeen = 0;
        int steps = 300;
        for (int step = 0; step < steps; step++) {
            int from = (step * batch) % (pairs.size() - batch);
            BertBatch b = BertBatch.of(pairs.subList(from, from + batch), length, PAD, masker, step, true);
            bert.parameters().zeroGrad();
            var out = bert.forward(b.input(), b.mlmLabels(), b.nspLabels());
            bert.backward();
            adamw.step(3e-3);
            if (step < 10) {
                first += out.mlmLoss() / 10;
            }
            if (step >= steps - 20) {
                last += out.mlmLoss() / 20;
                for (int i = 0; i < batch; i++) {
                    int guess = out.nspLogit(i, 1) > out.nspLogit(i, 0) ? 1 : 0;
                    nspRight += guess == b.nspLabels()[i] ? 1 : 0;
                    nspSeen++;
                }
            }
        }
        double accuracy = (double) nspRight / nspSeen;
        System.out.printf(java.util.Locale.ROOT, "bert pre-training: MLM loss %.3f -> %.3f (ln V %.3f), NSP accuracy %.2f%n",
                first, last, Math.log(V), accuracy);
        assertThat(first).isGreaterThan(0.8 * Math.log(V));
        assertThat(last).isLessThan(1.5 * Math.log(4));
        assertThat(accuracy).isGreaterThan(0.75);
    }
}
