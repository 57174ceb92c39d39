package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.Parameters;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.tensor.OptimizerKernels;
import org.junit.jupiter.api.Test;

/** The schedule's shape, global-norm clipping, the options' validation and round trip. */
class OptimizationTest {

    @Test
    void warmupIsLinearThenTheCosineEndsAtTheMinimum() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 1e-4, 50, 600);
        assertThat(s.at(0)).isCloseTo(1e-3 / 51, within(1e-15));
        assertThat(s.at(49)).isCloseTo(1e-3 * 50 / 51, within(1e-15));
        assertThat(s.at(50)).isCloseTo(1e-3, within(1e-15));
        assertThat(s.at(325)).isCloseTo(5.5e-4, within(1e-12));
        assertThat(s.at(600)).isCloseTo(1e-4, within(1e-15));
        assertThat(s.at(700)).isEqualTo(1e-4);
        for (int it = 51; it <= 600; it++) {
            assertThat(s.at(it)).isLessThan(s.at(it - 1));
        }
    }

    @Test
    void clippingScalesTheGlobalNormToTheLimitAndKeepsTheDirection() {
        Parameters p = Parameters.zeros(ParameterLayout.of(GptConfig.gpt2(1, 1, 4, 4, 5)));
        p.grad("wte.weight")[0] = 3;
        p.grad("h.0.ln_1.bias")[1] = 4;
        assertThat(GradientClipping.clip(p, 1.0)).isCloseTo(5.0, within(1e-12));
        assertThat(GradientClipping.globalNorm(p)).isCloseTo(1.0, within(1e-6));
        assertThat(p.grad("wte.weight")[0] / p.grad("h.0.ln_1.bias")[1]).isCloseTo(0.75f, within(1e-6f));
        // Below the limit nothing changes.
        assertThat(GradientClipping.clip(p, 2.0)).isCloseTo(1.0, within(1e-6));
        assertThat(GradientClipping.globalNorm(p)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void sumOfSquaresMatchesAPlainLoopOnOddLengths() {
        float[] x = new float[2053];
        double expected = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
            expected += (double) x[i] * x[i];
        }
        // float lanes inside blocks of 1024, double across them: float round-off only
        assertThat(OptimizerKernels.sumOfSquares(x, x.length)).isCloseTo(expected, within(expected * 1e-6));
    }

    @Test
    void weightDecayGroupsByRank() {
        for (ParameterSpec s : ParameterLayout.of(GptConfig.gpt2(1, 1, 4, 4, 5)).specs()) {
            boolean matrix = s.name().endsWith("weight") && !s.name().contains("ln_");
            assertThat(AdamW.decays(s)).as(s.name()).isEqualTo(matrix);
        }
    }

    @Test
    void optionsRoundTripThroughTheirFlags() {
        TrainingOptions o = TrainingOptions.DEFAULTS.with(Map.of("lr", "3e-4", "seed", "99", "grad-accum", "4"));
        assertThat(TrainingOptions.of(o.toFlags())).isEqualTo(o);
        assertThat(o.tokensPerStep()).isEqualTo(32L * 128 * 4);
        assertThat(o.conflictsWith(TrainingOptions.DEFAULTS)).containsExactlyInAnyOrder(
                "--lr 3.0E-4 (the run used 0.001)", "--seed 99 (the run used 1337)", "--grad-accum 4 (the run used 1)");
        assertThat(o.with(Map.of("steps", "5000", "eval-every", "10")).conflictsWith(o)).isEmpty();
    }

    @Test
    void badOptionsNameTheirFlag() {
        assertThatThrownBy(() -> TrainingOptions.DEFAULTS.with(Map.of("embd", "130"))).hasMessageContaining("--embd (130)")
                .hasMessageContaining("--heads (4)");
        assertThatThrownBy(() -> TrainingOptions.DEFAULTS.with(Map.of("min-lr", "0.1"))).hasMessageContaining("--min-lr");
        assertThatThrownBy(() -> TrainingOptions.DEFAULTS.with(Map.of("dropout", "1"))).hasMessageContaining("--dropout");
        assertThatThrownBy(() -> TrainingOptions.DEFAULTS.with(Map.of("batch", "0"))).hasMessageContaining("--batch must be positive");
        assertThatThrownBy(() -> TrainingOptions.DEFAULTS.with(Map.of("lr", "fast"))).hasMessageContaining("--lr: 'fast' is not a number");
        assertThatThrownBy(() -> TrainingOptions.DEFAULTS.with(Map.of("clip", "-1"))).hasMessageContaining("--clip");
    }
}
