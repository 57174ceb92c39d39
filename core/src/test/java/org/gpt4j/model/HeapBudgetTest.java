package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link HeapBudget}: what fits passes; what does not is one message with the size and the way out. */
class HeapBudgetTest {

    @Test
    void whatFitsPasses() {
        assertThatCode(() -> HeapBudget.require(0, "nothing")).doesNotThrowAnyException();
        assertThatCode(() -> HeapBudget.require(1 << 20, "a megabyte", "use less")).doesNotThrowAnyException();
    }

    @Test
    void moreThanTheHeapNamesTheNeedTheHeapAndTheWayOut() {
        long twice = 2 * Runtime.getRuntime().maxMemory();
        assertThatThrownBy(() -> HeapBudget.require(twice, "a big model"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a big model needs " + HeapBudget.human(twice) + " of memory, more than the ")
                .hasMessageContaining("free in this JVM's heap")
                .hasMessageContaining("raise it with GPT4J_JAVA_OPTS=-Xmx")
                .hasMessageEndingWith("g, or choose a smaller model");
        assertThatThrownBy(() -> HeapBudget.require(twice, "training at --batch 9", "use a smaller --batch"))
                .hasMessageEndingWith("g, or use a smaller --batch");
    }

    @Test
    void anImpossibleNeedSuggestsNoHeap() {
        assertThatThrownBy(() -> HeapBudget.require(Long.MAX_VALUE, "everything", "use a smaller --batch"))
                .hasMessageStartingWith("everything needs more than 9 EB of memory")
                .hasMessageEndingWith("no machine has that much; use a smaller --batch")
                .hasMessageNotContaining("-Xmx");
        assertThatThrownBy(() -> HeapBudget.require(-1, "less than nothing"))
                .hasMessage("bytes must be >= 0, got -1");
    }

    @Test
    void sizesAreDecimal() {
        assertThat(HeapBudget.human(1_500_000_000L)).isEqualTo("1.5 GB");
        assertThat(HeapBudget.human(512_000_000L)).isEqualTo("512.0 MB");
        assertThat(HeapBudget.human(999)).isEqualTo("999.0 B");
    }
}
