package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.gpt4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training progress without a terminal: plain lines with an ETA that counts the evaluations. */
class TrainProgressTest {

    @TempDir
    Path tmp;

    @Test
    void evaluationsStillToComeCountEveryIntervalAndTheLastStep() {
        TrainProgress p = new TrainProgress(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                false, false, tmp, 0, 1000, 250);
        assertThat(p.evaluationsAfter(0)).isEqualTo(4);
        assertThat(p.evaluationsAfter(250)).isEqualTo(3);
        assertThat(p.evaluationsAfter(999)).isEqualTo(1);
        assertThat(p.evaluationsAfter(1000)).isZero();
        TrainProgress odd = new TrainProgress(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                false, false, tmp, 0, 600, 250);
        assertThat(odd.evaluationsAfter(0)).isEqualTo(3);
        assertThat(odd.evaluationsAfter(500)).isEqualTo(1);
    }

    @Test
    void linesSayWhenAnEvaluationRunsAndTheEtaIncludesTheEvaluationsLeft() throws Exception {
        StringWriter out = new StringWriter();
        TrainProgress p = new TrainProgress(new PrintWriter(out, true), new PrintWriter(new StringWriter()),
                false, false, tmp, 0, 40, 20);
        assertThat(p.eta()).isEmpty();
        Thread.sleep(20);
        p.onStep(new Trainer.StepReport(1, 40, 3.0, 1e-3, 1.0, 100, 0.02));
        Duration stepsOnly = p.eta().orElseThrow();
        for (int s = 2; s <= 20; s++) {
            p.onStep(new Trainer.StepReport(s, 40, 3.0, 1e-3, 1.0, 100, 0.02));
        }
        p.onEvaluationStart(20, 4);
        Thread.sleep(200);
        p.onEvaluationProgress(4, 4);
        p.onEvaluation(new Trainer.EvalReport(20, 2.9, 3.1, true, "abc"));
        // 20 steps and one evaluation (>= 200 ms) to go.
        assertThat(p.eta().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(stepsOnly).isGreaterThan(Duration.ZERO);
        assertThat(out.toString()).contains("step 2/40  loss 3.0000").contains("ETA ")
                .contains("step 20: evaluating (4 batches, then a sample and a checkpoint)...")
                .contains("step 20: train loss 2.9000, val loss 3.1000");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(TrainProgress.duration(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(TrainProgress.duration(Duration.ofSeconds(185))).isEqualTo("3m05s");
        assertThat(TrainProgress.duration(Duration.ofMinutes(62))).isEqualTo("1h02m");
    }
}
