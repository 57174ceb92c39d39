package org.gpt4j.rl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CartPole-v1 against Gymnasium's own trajectories (tools/reference/cartpole_reference.py): the
 * same start and actions give the same float64 states (bit for bit), float32 observations, rewards and
 * termination step; the vectorised form truncates at 500 steps and resets in the same step.
 */
class CartPoleTest {

    @Test
    void trajectoriesMatchGymnasiumStepForStep() {
        JsonNode fixture = RlFixtures.read("cartpole.json");
        for (JsonNode t : fixture.get("trajectories")) {
            CartPole env = new CartPole();
            JsonNode s0 = t.get("start");
            env.setState(s0.get(0).asDouble(), s0.get(1).asDouble(), s0.get(2).asDouble(), s0.get(3).asDouble());
            int steps = t.get("actions").size();
            float[] obs = new float[4];
            for (int i = 0; i < steps; i++) {
                boolean terminated = env.step(t.get("actions").get(i).asInt());
                double[] state = env.state();
                for (int k = 0; k < 4; k++) {
                    double expected = t.get("states").get(i).get(k).asDouble();
                    assertThat(state[k]).as("seed %d step %d state[%d]", t.get("seed").asInt(), i, k)
                            .isEqualTo(expected);
                }
                env.observe(obs, 0);
                for (int k = 0; k < 4; k++) {
                    assertThat(obs[k]).as("step %d obs[%d]", i, k).isEqualTo((float) t.get("obs").get(i).get(k).asDouble());
                }
                assertThat(terminated).as("step %d terminated", i).isEqualTo(t.get("terminated").get(i).asBoolean());
                assertThat(t.get("rewards").get(i).asDouble()).isEqualTo(1.0);
            }
            boolean truncated = t.get("truncated").get(steps - 1).asBoolean();
            assertThat(truncated).isEqualTo(steps == VectorCartPole.MAX_EPISODE_STEPS);
        }
    }

    @Test
    void thresholdsAreTwelveDegreesAndTwoPointFourMetres() {
        assertThat(CartPole.THETA_THRESHOLD).isEqualTo(12 * 2 * Math.PI / 360);
        CartPole env = new CartPole();
        env.setState(2.39, 1.0, 0, 0);            // x passes 2.4 after one step of 0.02 s at 1 m/s
        assertThat(env.step(1)).isTrue();
        env.setState(0, 0, 0.2090, 0.1);          // theta passes 0.20944 rad
        assertThat(env.step(0)).isTrue();
        env.setState(0, 0, 0.1, 0);
        assertThat(env.step(0)).isFalse();
    }

    @Test
    void vectorisedEnvironmentsTruncateAt500StepsAndResetInTheSameStep() {
        VectorCartPole envs = new VectorCartPole(2, new SplittableRandom(5));
        float[] obs = new float[8];
        envs.reset(obs);
        for (float v : obs) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(0.05f);
        }
        List<VectorCartPole.Episode> episodes = new ArrayList<>();
        int[] actions = new int[2];
        float[] rewards = new float[2];
        boolean[] terminated = new boolean[2];
        boolean[] truncated = new boolean[2];
        int truncations = 0;
        for (int step = 1; step <= 1000; step++) {
            // env 0 balances (the controller of the reference script), env 1 always pushes right
            actions[0] = 0.05 * obs[0] + 0.5 * obs[1] + 10.0 * obs[2] + 1.0 * obs[3] > 0 ? 1 : 0;
            actions[1] = 1;
            envs.step(actions, obs, rewards, terminated, truncated, episodes::add);
            assertThat(rewards).containsExactly(1f, 1f);
            if (truncated[0]) {
                truncations++;
                assertThat(step % 500).isZero();
                // the observation returned is the next episode's first
                for (int k = 0; k < 4; k++) {
                    assertThat(Math.abs(obs[k])).isLessThanOrEqualTo(0.05f);
                }
            }
            assertThat(truncated[1]).isFalse();
        }
        assertThat(truncations).isEqualTo(2);
        assertThat(episodes.stream().filter(e -> e.env() == 0).map(VectorCartPole.Episode::length).toList())
                .containsExactly(500, 500);
        List<VectorCartPole.Episode> falls = episodes.stream().filter(e -> e.env() == 1).toList();
        assertThat(falls).hasSizeGreaterThan(50);
        for (VectorCartPole.Episode e : falls) {
            assertThat(e.episodeReturn()).isEqualTo(e.length());
            assertThat(e.length()).isBetween(8, 12);
        }
    }
}
