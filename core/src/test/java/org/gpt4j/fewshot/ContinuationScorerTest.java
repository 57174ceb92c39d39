package org.gpt4j.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.junit.jupiter.api.Test;

/**
 * Answer log-likelihoods through the KV cache equal a plain forward of prompt + answer, whatever
 * the previous prompt left in the cache; a shared prefix is computed once.
 */
class ContinuationScorerTest {

    private static final Gpt GPT = GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 32, 23), 5);

    /** log p(answer | prompt) by one forward without a cache, log-softmax written out. */
    private static double plain(int[] prompt, int[] answer) {
        int[] seq = Arrays.copyOf(prompt, prompt.length + answer.length - 1);
        System.arraycopy(answer, 0, seq, prompt.length, answer.length - 1);
        ForwardResult r = GPT.forward(seq, 1, seq.length);
        double total = 0;
        for (int j = 0; j < answer.length; j++) {
            int t = prompt.length - 1 + j;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < r.vocabSize(); v++) {
                max = Math.max(max, r.logit(0, t, v));
            }
            double sum = 0;
            for (int v = 0; v < r.vocabSize(); v++) {
                sum += Math.exp(r.logit(0, t, v) - max);
            }
            total += r.logit(0, t, answer[j]) - max - Math.log(sum);
        }
        return total;
    }

    @Test
    void cachedScoresEqualAPlainForwardInAnyOrder() {
        int[] demos = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        int[] p1 = concat(demos, new int[] {11, 12, 13});
        int[] p2 = concat(demos, new int[] {14, 15});
        int[] p3 = {20, 21};
        List<int[]> answers = List.of(new int[] {3}, new int[] {4, 5, 6}, new int[] {7, 8});
        ContinuationScorer s = new ContinuationScorer(GPT);
        for (int[] p : List.of(p1, p2, p3, p1, p1)) {
            double[] ll = s.logLikelihoods(p, answers);
            for (int i = 0; i < answers.size(); i++) {
                assertThat(ll[i]).isCloseTo(plain(p, answers.get(i)), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        // p1: 13 + 2 + 1 answer positions; p2 reuses the 10 shared ones; p3 shares nothing; p1 again
        // after p3 starts over; the last p1 reruns only its last token.
        int answerPositions = 0 + 2 + 1; // each answer but its last token
        assertThat(s.positions()).isEqualTo((13 + answerPositions) + (2 + answerPositions) + (2 + answerPositions)
                + (13 + answerPositions) + (1 + answerPositions));
    }

    @Test
    void promptsThatCannotBeScoredAreErrors() {
        ContinuationScorer s = new ContinuationScorer(GPT);
        assertThatThrownBy(() -> s.logLikelihoods(new int[0], List.of(new int[] {1}))).hasMessageContaining("the prompt is empty");
        assertThatThrownBy(() -> s.logLikelihoods(new int[30], List.of(new int[] {1, 2, 3, 4})))
                .hasMessage("a prompt of 30 tokens and an answer of 4 exceed the context of 32 tokens");
        assertThatThrownBy(() -> s.logLikelihoods(new int[] {1}, List.of(new int[0]))).hasMessageContaining("an answer has no tokens");
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
