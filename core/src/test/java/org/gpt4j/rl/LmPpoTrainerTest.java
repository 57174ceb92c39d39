package org.gpt4j.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/**
 * PPO on a tiny random GPT with a reward that counts one token: the first minibatch's ratio is
 * exactly 1 and the KL to the reference 0 before any update, a seed repeats a run, the mean reward
 * rises, and the policy's backward (logits through the GPT, values through the value head) agrees
 * with finite differences.
 */
class LmPpoTrainerTest {

    private static final Tokenizer TOKENIZER = CharTokenizer.fromText("abcdefgh .");
    private static final int TARGET = TOKENIZER.encode("a")[0];

    /** reward = how many times the target token occurs in the response. */
    private static final ResponseReward COUNT_TARGET = (prompts, responses, tokens) -> {
        float[] s = new float[tokens.size()];
        for (int i = 0; i < s.length; i++) {
            for (int t : tokens.get(i)) {
                s[i] += t == TARGET ? 1 : 0;
            }
        }
        return s;
    };

    private static List<int[]> prompts() {
        List<int[]> out = new ArrayList<>();
        for (String p : new String[] {"bc", "de f", "gh", "b", "fed c", "hg"}) {
            out.add(TOKENIZER.encode(p));
        }
        return out;
    }

    private static Gpt tinyGpt() {
        return GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 32, TOKENIZER.vocabSize()), 3);
    }

    private static LmPpoConfig config(int steps, double lr, long seed) {
        return new LmPpoConfig(steps, 16, 4, 4, 8, lr, 0.05, 6.0, 10_000, 1.0, 0.95, LmPpoConfig.trlLoss(), 0.0, 5,
                seed);
    }

    @Test
    void firstMinibatchRatioIsExactlyOneAndKlToTheReferenceIsZeroBeforeAnyUpdate() {
        LmPpoTrainer trainer = new LmPpoTrainer(config(2, 1e-3, 1), tinyGpt(), COUNT_TARGET, TOKENIZER, prompts());
        LmPpoTrainer.StepReport first = trainer.step();
        assertThat(first.firstRatioDeviation()).isEqualTo(0.0);
        assertThat(first.kl()).isEqualTo(0.0);
        assertThat(first.beta()).isEqualTo(0.05);
        LmPpoTrainer.StepReport second = trainer.step();
        // the policy has moved away from the reference, yet each step's first minibatch starts at ratio 1
        assertThat(second.kl()).isNotEqualTo(0.0);
        assertThat(second.firstRatioDeviation()).isEqualTo(0.0);
        assertThat(second.approxKl()).isGreaterThan(0.0);
    }

    @Test
    void aSeedRepeatsARunBitForBit() {
        double[] a = scores(new LmPpoTrainer(config(3, 1e-3, 9), tinyGpt(), COUNT_TARGET, TOKENIZER, prompts()), 3);
        double[] b = scores(new LmPpoTrainer(config(3, 1e-3, 9), tinyGpt(), COUNT_TARGET, TOKENIZER, prompts()), 3);
        double[] c = scores(new LmPpoTrainer(config(3, 1e-3, 10), tinyGpt(), COUNT_TARGET, TOKENIZER, prompts()), 3);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void aSavedValueHeadContinuesAndLeavesTheOtherRandomStreamsAsTheyWere(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        LmPpoTrainer first = new LmPpoTrainer(config(2, 1e-3, 9), tinyGpt(), COUNT_TARGET, TOKENIZER, prompts());
        first.step();
        ValueHeadFile.save(first.policy().valueHead(), dir);
        org.gpt4j.finetune.ClassificationHead head = ValueHeadFile.load(dir, tinyGpt().config().nEmbd()).orElseThrow();
        assertThat(head.weight()).containsExactly(first.policy().valueHead().weight());

        LmPpoTrainer fresh = new LmPpoTrainer(config(2, 1e-3, 9), tinyGpt(), COUNT_TARGET, TOKENIZER, prompts());
        LmPpoTrainer continued = new LmPpoTrainer(config(2, 1e-3, 9), tinyGpt(), head, COUNT_TARGET, TOKENIZER,
                prompts());
        assertThat(continued.policy().valueHead()).isSameAs(head);
        LmPpoTrainer.StepReport f = fresh.step();
        LmPpoTrainer.StepReport c = continued.step();
        // The same policy samples the same responses; only the critic differs.
        assertThat(c.meanScore()).isEqualTo(f.meanScore());
        assertThat(c.valueLoss()).isNotEqualTo(f.valueLoss());
        assertThat(ValueHeadFile.load(dir.resolve("none"), 4)).isEmpty();
    }

    private static double[] scores(LmPpoTrainer trainer, int steps) {
        double[] out = new double[2 * steps];
        for (int i = 0; i < steps; i++) {
            LmPpoTrainer.StepReport r = trainer.step();
            out[2 * i] = r.meanScore();
            out[2 * i + 1] = r.valueLoss();
        }
        return out;
    }

    @Test
    void ppoRaisesTheMeanRewardOfATinyGpt() {
        int steps = 30;
        LmPpoTrainer trainer = new LmPpoTrainer(config(steps, 3e-3, 5), tinyGpt(), COUNT_TARGET, TOKENIZER, prompts());
        double first = 0;
        double last = 0;
        for (int s = 1; s <= steps; s++) {
            LmPpoTrainer.StepReport r = trainer.step();
            assertThat(r.firstRatioDeviation()).isEqualTo(0.0);
            if (s <= 5) {
                first += r.meanScore() / 5;
            } else if (s > steps - 5) {
                last += r.meanScore() / 5;
            }
        }
        // 8 tokens from a vocabulary of 11: about 0.7 target tokens per response at random
        assertThat(first).isLessThan(1.5);
        assertThat(last).isGreaterThan(first + 2);
    }

    @Test
    void policyBackwardMatchesFiniteDifferences() {
        Gpt gpt = tinyGpt();
        ClassificationHead head = ClassificationHead.initialized(1, gpt.config().nEmbd(), 4);
        PolicyWithValueHead policy = new PolicyWithValueHead(gpt, head);
        int b = 2;
        int t = 6;
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4};
        int[] positions = {1, 2, 4, 6, 9, 10};
        int[] actions = {3, 4, 6, 1, 3, 4};
        int n = positions.length;
        SplittableRandom rng = new SplittableRandom(2);
        float[] a = new float[n];
        float[] bv = new float[n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
            bv[i] = (float) rng.nextDouble(-1, 1);
            c[i] = (float) rng.nextDouble(-1, 1);
        }
        gpt.parameters().zeroGrad();
        head.parameters().zeroGrad();
        loss(policy, tokens, b, t, positions, actions, a, bv, c);
        policy.backward(a, bv, c);
        String[][] probes = {{"wte.weight", "5"}, {"wte.weight", "40"}, {"h.0.attn.c_attn.weight", "17"},
            {"h.1.mlp.c_fc.weight", "100"}, {"ln_f.weight", "3"}, {"wpe.weight", "20"}};
        for (String[] probe : probes) {
            float[] w = gpt.parameters().data(probe[0]);
            int k = Integer.parseInt(probe[1]);
            double analytic = gpt.parameters().grad(probe[0])[k];
            assertThat(analytic).isCloseTo(numeric(policy, w, k, tokens, b, t, positions, actions, a, bv, c),
                    within(2e-3 + 2e-2 * Math.abs(analytic)));
        }
        float[] w = head.weight();
        double analytic = head.parameters().grad(ClassificationHead.WEIGHT)[7];
        assertThat(analytic).isCloseTo(numeric(policy, w, 7, tokens, b, t, positions, actions, a, bv, c),
                within(2e-3 + 2e-2 * Math.abs(analytic)));
    }

    private static double numeric(PolicyWithValueHead policy, float[] w, int k, int[] tokens, int b, int t,
            int[] positions, int[] actions, float[] a, float[] bv, float[] c) {
        float saved = w[k];
        float h = 1e-2f;
        w[k] = saved + h;
        double up = loss(policy, tokens, b, t, positions, actions, a, bv, c);
        w[k] = saved - h;
        double down = loss(policy, tokens, b, t, positions, actions, a, bv, c);
        w[k] = saved;
        return (up - down) / (2 * h);
    }

    /** L = sum a logp + b V + c H over the selected positions. */
    private static double loss(PolicyWithValueHead policy, int[] tokens, int b, int t, int[] positions, int[] actions,
            float[] a, float[] bv, float[] c) {
        int n = positions.length;
        float[] logp = new float[n];
        float[] h = new float[n];
        float[] v = new float[n];
        policy.forward(tokens, b, t, positions, actions, logp, h, v);
        double l = 0;
        for (int i = 0; i < n; i++) {
            l += a[i] * logp[i] + bv[i] * v[i] + c[i] * h[i];
        }
        return l;
    }
}
