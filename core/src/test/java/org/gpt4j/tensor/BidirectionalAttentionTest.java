package org.gpt4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gpt4j.tensor.MatmulTest.assertClose;
import static org.gpt4j.tensor.MatmulTest.random;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bidirectional attention (BERT's encoder) with a key padding bias: forward and backward agree
 * with a direct transcription of the equations in double, every query seeing every key that is
 * not padding, for T below, at and between the kernel's groups of four and vector lengths, with
 * and without dropout; a sequence that is all padding attends uniformly, as in transformers.
 */
class BidirectionalAttentionTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1, 1, 4, 0, false), Arguments.of(2, 3, 2, 4, 1, true), Arguments.of(2, 4, 2, 8, 0, false),
                Arguments.of(2, 12, 4, 8, 3, false), Arguments.of(2, 17, 3, 32, 5, true), Arguments.of(1, 40, 2, 32, 7, true),
                Arguments.of(2, 33, 2, 64, 0, false), Arguments.of(1, 9, 2, 17, 2, true));
    }

    @ParameterizedTest(name = "B={0} T={1} NH={2} hs={3} padding={4} dropout={5}")
    @MethodSource("shapes")
    void forwardAndBackwardMatchTheEquations(int b, int t, int nh, int hs, int padding, boolean dropout) {
        SplittableRandom rng = new SplittableRandom(t * 977L + hs);
        int c = nh * hs;
        float[] qkv = random(b * t * 3 * c, rng);
        float[] mask = null;
        if (dropout) {
            mask = new float[b * nh * t * t];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = rng.nextDouble() < 0.2 ? 0f : 1.25f;
            }
        }
        // the last sequence's last `padding` keys are padding
        float[] keyBias = new float[b * t];
        for (int j = t - padding; j < t; j++) {
            keyBias[(b - 1) * t + j] = AttentionKernel.PADDING_BIAS;
        }
        float[] y = random(b * t * c, rng);
        float[] att = random(b * nh * t * t, rng);
        AttentionKernel.forward(y, att, mask, AttentionKernel.Layout.fused(qkv, t, c), b, t, 0, nh, hs, false, keyBias);

        double[] expectAtt = new double[att.length];
        double[] expectY = new double[y.length];
        double[] dqkv = new double[qkv.length];
        float[] dy = random(y.length, rng);
        double scale = 1 / Math.sqrt(hs);
        for (int bi = 0; bi < b; bi++) {
            int keys = bi == b - 1 ? t - padding : t;
            for (int h = 0; h < nh; h++) {
                for (int i = 0; i < t; i++) {
                    int ao = ((bi * nh + h) * t + i) * t;
                    int qo = (bi * t + i) * 3 * c + h * hs;
                    double[] s = new double[keys];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < keys; j++) {
                        int ko = (bi * t + j) * 3 * c + c + h * hs;
                        for (int d = 0; d < hs; d++) {
                            s[j] += (double) qkv[qo + d] * qkv[ko + d] * scale;
                        }
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < keys; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    double[] dp = new double[keys];
                    double weighted = 0;
                    int yo = (bi * t + i) * c + h * hs;
                    for (int j = 0; j < keys; j++) {
                        double p = s[j] / sum;
                        expectAtt[ao + j] = p;
                        double keep = mask == null ? 1 : mask[ao + j];
                        int vo = (bi * t + j) * 3 * c + 2 * c + h * hs;
                        for (int d = 0; d < hs; d++) {
                            expectY[yo + d] += p * keep * qkv[vo + d];
                            dp[j] += (double) dy[yo + d] * qkv[vo + d] * keep;
                            dqkv[vo + d] += p * keep * dy[yo + d];
                        }
                        weighted += p * dp[j];
                    }
                    for (int j = 0; j < keys; j++) {
                        double ds = expectAtt[ao + j] * (dp[j] - weighted) * scale;
                        int ko = (bi * t + j) * 3 * c + c + h * hs;
                        for (int d = 0; d < hs; d++) {
                            dqkv[qo + d] += ds * qkv[ko + d];
                            dqkv[ko + d] += ds * qkv[qo + d];
                        }
                    }
                }
            }
        }
        assertClose(att, expectAtt, t);
        assertClose(y, expectY, t);

        float[] grad = new float[qkv.length];
        AttentionKernel.backward(grad, dy, att, mask, qkv, b, t, nh, hs, false);
        assertClose(grad, dqkv, t * hs);
    }

    @Test
    void aSequenceOfOnlyPaddingAttendsUniformly() {
        int t = 6;
        int hs = 8;
        float[] qkv = random(t * 3 * hs, new SplittableRandom(3));
        float[] keyBias = new float[t];
        java.util.Arrays.fill(keyBias, AttentionKernel.PADDING_BIAS);
        float[] att = new float[t * t];
        AttentionKernel.forward(new float[t * hs], att, null, AttentionKernel.Layout.fused(qkv, t, hs), 1, t, 0, 1, hs,
                false, keyBias);
        for (float p : att) {
            assertThat(p).isCloseTo(1f / t, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }
}
