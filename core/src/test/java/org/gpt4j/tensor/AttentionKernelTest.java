package org.gpt4j.tensor;

import static org.gpt4j.tensor.MatmulTest.assertClose;
import static org.gpt4j.tensor.MatmulTest.random;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Causal attention forward (fused layout and a cache with past positions) and backward agree with
 * a direct transcription of the equations, in double, for head sizes below, at and between
 * vector lengths, with and without a dropout mask.
 */
class AttentionKernelTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1, 1, 4, false), Arguments.of(2, 5, 2, 4, true), Arguments.of(2, 17, 3, 32, false),
                Arguments.of(1, 40, 2, 32, true), Arguments.of(2, 33, 2, 64, true), Arguments.of(1, 19, 1, 48, false),
                Arguments.of(1, 9, 2, 17, true),
                // several passes of two key vectors for four queries at every width
                Arguments.of(1, 103, 2, 16, false));
    }

    @ParameterizedTest(name = "B={0} T={1} NH={2} hs={3} dropout={4}")
    @MethodSource("shapes")
    void fusedForwardAndBackwardMatchTheEquations(int b, int t, int nh, int hs, boolean dropout) {
        SplittableRandom rng = new SplittableRandom(t * 131L + hs);
        int c = nh * hs;
        float[] qkv = random(b * t * 3 * c, rng);
        float[] mask = null;
        if (dropout) {
            mask = new float[b * nh * t * t];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = rng.nextDouble() < 0.2 ? 0f : 1.25f;
            }
        }
        float[] y = random(b * t * c, rng);
        float[] att = random(b * nh * t * t, rng);
        AttentionKernel.forward(y, att, mask, AttentionKernel.Layout.fused(qkv, t, c), b, t, 0, nh, hs);

        double[] expectAtt = new double[att.length];
        double[] expectY = new double[y.length];
        double[] dqkv = new double[qkv.length];
        float[] dy = random(y.length, rng);
        double scale = 1 / Math.sqrt(hs);
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nh; h++) {
                for (int i = 0; i < t; i++) {
                    int ao = ((bi * nh + h) * t + i) * t;
                    int qo = (bi * t + i) * 3 * c + h * hs;
                    double max = Double.NEGATIVE_INFINITY;
                    double[] s = new double[i + 1];
                    for (int j = 0; j <= i; j++) {
                        int ko = (bi * t + j) * 3 * c + c + h * hs;
                        for (int d = 0; d < hs; d++) {
                            s[j] += (double) qkv[qo + d] * qkv[ko + d] * scale;
                        }
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= i; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    double[] dp = new double[i + 1];
                    double weighted = 0;
                    int yo = (bi * t + i) * c + h * hs;
                    for (int j = 0; j <= i; j++) {
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
                    for (int j = 0; j <= i; j++) {
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
        AttentionKernel.backward(grad, dy, att, mask, qkv, b, t, nh, hs);
        assertClose(grad, dqkv, t * hs);
    }

    @ParameterizedTest(name = "B={0} T={1} NH={2} hs={3}")
    @MethodSource("shapes")
    void cachedQueriesSeeEveryPastPosition(int b, int t, int nh, int hs, boolean ignored) {
        SplittableRandom rng = new SplittableRandom(7 + t);
        int c = nh * hs;
        int past = 3;
        int cap = past + t + 2;
        float[] q = random(b * t * c, rng);
        float[] k = random(b * cap * c, rng);
        float[] v = random(b * cap * c, rng);
        float[] y = new float[b * t * c];
        float[] att = new float[b * nh * t * (past + t)];
        var layout = new AttentionKernel.Layout(q, 0, c, k, 0, v, 0, c, cap);
        AttentionKernel.forward(y, att, null, layout, b, t, past, nh, hs);
        double[] expectY = new double[y.length];
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < nh; h++) {
                for (int i = 0; i < t; i++) {
                    int keys = past + i + 1;
                    double[] s = new double[keys];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < keys; j++) {
                        for (int d = 0; d < hs; d++) {
                            s[j] += (double) q[(bi * t + i) * c + h * hs + d] * k[(bi * cap + j) * c + h * hs + d];
                        }
                        s[j] /= Math.sqrt(hs);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < keys; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j < keys; j++) {
                        for (int d = 0; d < hs; d++) {
                            expectY[(bi * t + i) * c + h * hs + d] += s[j] / sum * v[(bi * cap + j) * c + h * hs + d];
                        }
                    }
                }
            }
        }
        assertClose(y, expectY, past + t);
    }
}
