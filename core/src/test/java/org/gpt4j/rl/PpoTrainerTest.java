package org.gpt4j.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.ParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * PPO on CartPole learns (a short run lifts the mean return far above a random policy's ~22),
 * a seed repeats a run bit for bit, and the agent starts as CleanRL's: orthogonal weights with
 * the layer's gain, zero biases, a nearly uniform policy.
 */
class PpoTrainerTest {

    @Test
    void fiftyThousandStepsLearnToBalanceThePole() {
        PpoTrainer.Result r = PpoTrainer.train(PpoConfig.cleanRl(50_000, 4, 1), new PpoTrainer.Listener() {
        });
        assertThat(r.steps()).isEqualTo(97 * 512);
        assertThat(r.episodes()).isGreaterThan(100);
        assertThat(r.meanReturn()).as("mean return of the last 100 episodes").isGreaterThan(100);
    }

    @Test
    void theSameSeedGivesTheSameRunBitForBit() {
        List<Object> first = run(7);
        List<Object> second = run(7);
        assertThat(second).isEqualTo(first);
        assertThat(run(8)).isNotEqualTo(first);
    }

    /** Every episode's return, every update's losses, and the final weights' bits of a short run. */
    private static List<Object> run(long seed) {
        List<Object> trace = new ArrayList<>();
        PpoTrainer.train(PpoConfig.cleanRl(4 * 512, 4, seed), new PpoTrainer.Listener() {
            @Override
            public void onEpisode(long globalStep, VectorCartPole.Episode episode) {
                trace.add(globalStep + ":" + episode);
            }

            @Override
            public void onIteration(PpoTrainer.IterationReport r) {
                trace.add(List.of(r.policyLoss(), r.valueLoss(), r.entropy(), r.approxKl(), r.clipFraction()));
            }
        }, agent -> {
            for (ParameterSpec s : agent.parameters().specs()) {
                for (float v : agent.parameters().data(s.name())) {
                    trace.add(Float.floatToIntBits(v));
                }
            }
        });
        return trace;
    }

    @Test
    void agentStartsWithOrthogonalWeightsZeroBiasesAndANearlyUniformPolicy() {
        ActorCritic agent = ActorCritic.initialized(4, 2, 64, 3);
        assertOrthogonal(agent.parameters().data("actor.0.weight"), 4, 64, Math.sqrt(2));
        assertOrthogonal(agent.parameters().data("critic.2.weight"), 64, 64, Math.sqrt(2));
        assertOrthogonal(agent.parameters().data("actor.4.weight"), 64, 2, 0.01);
        assertOrthogonal(agent.parameters().data("critic.4.weight"), 64, 1, 1.0);
        assertThat(agent.parameters().data("actor.2.bias")).containsOnly(0f);
        float[] obs = new float[4 * 3];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) (rng.nextDouble() - 0.5);
        }
        float[] logits = new float[3 * 2];
        agent.logits(logits, obs, 3);
        for (float z : logits) {
            assertThat(Math.abs(z)).isLessThan(0.1f);
        }
    }

    /** The smaller side of w [in, out] (rows or columns) is orthonormal times gain. */
    private static void assertOrthogonal(float[] w, int in, int out, double gain) {
        boolean rows = in <= out;
        int k = rows ? in : out;
        int len = rows ? out : in;
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                double dot = 0;
                for (int i = 0; i < len; i++) {
                    double a = rows ? w[p * out + i] : w[i * out + p];
                    double b = rows ? w[q * out + i] : w[i * out + q];
                    dot += a * b;
                }
                assertThat(dot).isCloseTo(p == q ? gain * gain : 0, org.assertj.core.data.Offset.offset(1e-5 * gain * gain));
            }
        }
    }

    @Test
    void configurationErrorsNameTheSetting() {
        assertThatThrownBy(() -> PpoConfig.cleanRl(100, 4, 1)).hasMessageContaining("at least one rollout");
        assertThatThrownBy(() -> PpoConfig.cleanRl(500_000, 0, 1)).hasMessageContaining("envs");
        assertThatThrownBy(() -> new VectorCartPole(0, new SplittableRandom(1))).hasMessageContaining("environments");
    }
}
