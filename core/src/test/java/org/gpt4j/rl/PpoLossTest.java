package org.gpt4j.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.gpt4j.tensor.CategoricalKernels;
import org.junit.jupiter.api.Test;

/**
 * GAE, the clipped PPO objective, the KL estimates, the categorical policy's log-probabilities and
 * entropy, and the gradients of the total loss with respect to the logits and the values, against
 * CleanRL's code run by PyTorch on fixed tensors (tools/reference/ppo_reference.py), to 1e-6.
 */
class PpoLossTest {

    private static final double TOL = 1e-6;

    @Test
    void gaeMatchesCleanRlIncludingEpisodeEndsAndTruncationBootstrap() {
        for (JsonNode c : RlFixtures.read("ppo.json").get("gae")) {
            int t = c.get("T").asInt();
            int n = c.get("N").asInt();
            float[] rewards = RlFixtures.floats(c.get("rewards"));
            if (c.has("truncated")) {
                int[] mask = RlFixtures.ints(c.get("truncated"));
                boolean[] truncated = new boolean[mask.length];
                for (int i = 0; i < mask.length; i++) {
                    truncated[i] = mask[i] != 0;
                }
                Gae.bootstrapTruncated(rewards, truncated, RlFixtures.floats(c.get("final_values")), t * n,
                        c.get("gamma").asDouble());
            }
            float[] adv = new float[t * n];
            float[] ret = new float[t * n];
            Gae.compute(adv, ret, rewards, RlFixtures.floats(c.get("values")), RlFixtures.floats(c.get("dones")),
                    RlFixtures.floats(c.get("next_value")), RlFixtures.floats(c.get("next_done")), t, n,
                    c.get("gamma").asDouble(), c.get("lambda").asDouble());
            assertClose("advantages", adv, RlFixtures.floats(c.get("advantages")));
            assertClose("returns", ret, RlFixtures.floats(c.get("returns")));
        }
    }

    @Test
    void clippedObjectiveKlEntropyAndGradientsMatchPyTorch() {
        for (JsonNode c : RlFixtures.read("ppo.json").get("loss")) {
            int m = c.get("M").asInt();
            int a = c.get("A").asInt();
            float[] logits = RlFixtures.floats(c.get("logits"));
            int[] actions = RlFixtures.ints(c.get("actions"));
            float[] logp = new float[m * a];
            float[] entropy = new float[m];
            CategoricalKernels.forward(logp, entropy, logits, m, a);
            float[] newLogp = new float[m];
            for (int i = 0; i < m; i++) {
                newLogp[i] = logp[i * a + actions[i]];
            }
            assertClose("new log-probs", newLogp, RlFixtures.floats(c.get("new_logprobs")));
            assertClose("entropy", entropy, RlFixtures.floats(c.get("entropy")));

            PpoLoss.Coefficients coef = new PpoLoss.Coefficients(c.get("clip_coef").asDouble(), c.get("vf_coef").asDouble(),
                    c.get("ent_coef").asDouble(), c.get("norm_adv").asBoolean(), c.get("clip_vloss").asBoolean());
            float[] gLogp = new float[m];
            float[] gValue = new float[m];
            float[] gEntropy = new float[m];
            PpoLoss.Result r = PpoLoss.compute(coef, newLogp, RlFixtures.floats(c.get("old_logprobs")),
                    RlFixtures.floats(c.get("advantages")), RlFixtures.floats(c.get("new_values")),
                    RlFixtures.floats(c.get("old_values")), RlFixtures.floats(c.get("returns")), entropy, m, gLogp, gValue,
                    gEntropy);
            assertThat(r.policyLoss()).as("pg_loss").isCloseTo(c.get("pg_loss").asDouble(), within(TOL));
            assertThat(r.valueLoss()).as("v_loss").isCloseTo(c.get("v_loss").asDouble(), within(TOL));
            assertThat(r.entropy()).as("entropy_loss").isCloseTo(c.get("entropy_loss").asDouble(), within(TOL));
            assertThat(r.loss()).as("loss").isCloseTo(c.get("loss").asDouble(), within(TOL));
            assertThat(r.oldApproxKl()).as("old_approx_kl").isCloseTo(c.get("old_approx_kl").asDouble(), within(TOL));
            assertThat(r.approxKl()).as("approx_kl").isCloseTo(c.get("approx_kl").asDouble(), within(TOL));
            assertThat(r.clipFraction()).as("clipfrac").isCloseTo(c.get("clipfrac").asDouble(), within(TOL));

            float[] dLogits = new float[m * a];
            CategoricalKernels.backward(dLogits, logp, entropy, actions, gLogp, gEntropy, m, a);
            assertClose("d loss / d logits", dLogits, RlFixtures.floats(c.get("grad_logits")));
            assertClose("d loss / d values", gValue, RlFixtures.floats(c.get("grad_values")));
        }
    }

    @Test
    void advantageNormalisationNeedsTwoRows() {
        float[] one = {1f};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PpoLoss.compute(PpoLoss.Coefficients.cleanRl(), one, one,
                one, one, one, one, one, 1, new float[1], new float[1], new float[1]))
                .hasMessageContaining("2 or more rows");
    }

    private static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(TOL * Math.max(1, Math.abs(expected[i]))));
        }
    }
}
