package org.gpt4j.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.gpt4j.finetune.LabelMap;
import org.junit.jupiter.api.Test;

/** Label words: kept exactly as written (leading spaces matter), in label order; integer labels need them. */
class VerbalisersTest {

    private static final Path TRAIN = Path.of("sst2.train.tsv");

    @Test
    void wordsAreKeptExactlyAsWrittenInLabelOrder() {
        LabelMap ints = LabelMap.fromLabels(List.of("1", "0"));
        assertThat(Verbalisers.of(" negative, positive", ints, TRAIN)).containsExactly(" negative", " positive");
        assertThat(Verbalisers.of("bad ,  good", ints, TRAIN)).containsExactly("bad ", "  good");
        LabelMap names = LabelMap.fromLabels(List.of("not_entailment", "entailment"));
        assertThat(Verbalisers.of(null, names, TRAIN)).containsExactly(" entailment", " not_entailment");
    }

    @Test
    void integerLabelsNeedWordsAndTheCountMustMatch() {
        LabelMap ints = LabelMap.fromLabels(List.of("0", "1"));
        assertThatThrownBy(() -> Verbalisers.of(null, ints, TRAIN)).hasMessageContaining("labels of sst2.train.tsv are integers [0, 1]")
                .hasMessageContaining("--labels");
        assertThatThrownBy(() -> Verbalisers.of(" negative", ints, TRAIN))
                .hasMessage("--labels gives 1 word but sst2.train.tsv has 2 labels, in this order: [0, 1]");
        assertThatThrownBy(() -> Verbalisers.of(" a, b, c", ints, TRAIN)).hasMessageContaining("gives 3 words");
        assertThatThrownBy(() -> Verbalisers.of(" negative, ", ints, TRAIN)).hasMessageContaining("the word for label '1' (number 2) is empty");
        assertThatThrownBy(() -> Verbalisers.of("", ints, TRAIN)).hasMessageContaining("gives 1 word");
        assertThatThrownBy(() -> Verbalisers.of(" yes, yes", ints, TRAIN)).hasMessageContaining("the same word");
    }
}
