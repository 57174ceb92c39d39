package org.gpt4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Accuracy, macro-F1 and the confusion matrix, checked against values worked out by hand (as scikit-learn gives them). */
class ClassificationMetricsTest {

    @Test
    void macroF1AveragesEachLabelsF1() {
        // gold:      0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 2, 2}, 3);
        assertThat(m.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
        // F1: label 0 = 2*2/(3+2) = 0.8; label 1 = 2*1/(2+2) = 0.5; label 2 = 2*1/(1+2) = 2/3
        assertThat(m.macroF1()).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-12));
        assertThat(m.confusion()).isDeepEqualTo(new long[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}});
        assertThat(m.n()).isEqualTo(6);
    }

    @Test
    void alwaysTheMajorityLabelHasLowMacroF1() {
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 0, 1}, new int[] {0, 0, 0, 0}, 2);
        assertThat(m.accuracy()).isEqualTo(0.75);
        assertThat(m.macroF1()).isCloseTo((6.0 / 7) / 2, within(1e-12));
    }
}
