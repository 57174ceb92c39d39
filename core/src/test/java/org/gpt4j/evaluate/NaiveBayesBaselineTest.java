package org.gpt4j.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NaiveBayesBaselineTest {

    @Test
    void featuresAreDistinctLowerCasedUnigramsAndBigramsWithThePairApart() {
        assertThat(NaiveBayesBaseline.features("Not  good not", "good"))
                .containsExactly("not", "not good", "good", "good not", "b:good");
    }

    @Test
    void eachCjkCharacterIsAWord() {
        assertThat(NaiveBayesBaseline.words("酒店 很好OK, fine")).containsExactly("酒", "店", "很", "好", "ok,", "fine");
    }

    /**
     * Hand-computed: class 0 has documents {a b} and {a}; class 1 has {c}. Features with binary
     * counts: class 0: a:2, b:1, "a b":1 (total 4); class 1: c:1 (total 1); vocabulary 4.
     * "b c": class 0: log(2/3) + log(2/8) + log(1/8); class 1: log(1/3) + log(1/5) + log(2/5)
     * ("b c" unseen, skipped) -> -3.871 vs -3.624: class 1.
     */
    @Test
    void predictsTheHandComputedClass() {
        NaiveBayesBaseline nb = NaiveBayesBaseline.fit(List.of("a b", "a", "c"), null, new int[] {0, 0, 1}, 2);
        assertThat(nb.vocabularySize()).isEqualTo(4);
        double class0 = Math.log(2.0 / 3) + Math.log(2.0 / 8) + Math.log(1.0 / 8);
        double class1 = Math.log(1.0 / 3) + Math.log(1.0 / 5) + Math.log(2.0 / 5);
        assertThat(class1).isGreaterThan(class0);
        assertThat(nb.predict("b c", null)).isEqualTo(1);
        // "a": class 0: log(2/3) + log(3/8) = -1.386; class 1: log(1/3) + log(1/5) = -2.708.
        assertThat(nb.predict("a", null)).isZero();
        // Nothing known: the prior decides.
        assertThat(nb.predict("zzz", null)).isZero();
    }

    @Test
    void aClassMissingFromTrainingNeverWins() {
        NaiveBayesBaseline nb = NaiveBayesBaseline.fit(List.of("x", "y"), null, new int[] {0, 2}, 3);
        assertThat(nb.predict("x y", null)).isNotEqualTo(1);
    }

    @Test
    void rejectsMismatchedOrEmptyInput() {
        assertThatThrownBy(() -> NaiveBayesBaseline.fit(List.of("a"), null, new int[] {0, 1}, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NaiveBayesBaseline.fit(List.of(), null, new int[0], 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
