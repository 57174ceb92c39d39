package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelMapTest {

    @Test
    void integerLabelsAreTheirOwnIdsAndNamesAreSorted() {
        assertThat(LabelMap.fromLabels(List.of("1", "0", "1")).names()).containsExactly("0", "1");
        assertThat(LabelMap.fromLabels(List.of("3", "0", "1")).names()).containsExactly("0", "1", "2", "3");
        assertThat(LabelMap.fromLabels(List.of("pos", "neg")).names()).containsExactly("neg", "pos");
    }

    @Test
    void aStrayLargeIntegerLabelIsRefusedNotAMillionClasses() {
        assertThatThrownBy(() -> LabelMap.fromLabels(List.of("0", "1", "999999")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 distinct labels go up to 999999");
    }
}
