package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counting baseline: add-one smoothed probabilities, its loss, and its saved form. */
class BigramModelTest {

    @TempDir
    Path tmp;

    @Test
    void probabilitiesAreAddOneSmoothedCounts() {
        // Pairs: 0->1 twice, 1->0 once, 1->2 once; V = 3.
        BigramModel m = BigramModel.count(TokenSequence.of(0, 1, 0, 1, 2), 3);
        assertThat(Math.exp(m.logProbability(0, 1))).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(Math.exp(m.logProbability(0, 0))).isCloseTo(1.0 / 5, within(1e-12));
        assertThat(Math.exp(m.logProbability(2, 0))).isCloseTo(1.0 / 3, within(1e-12));
        double sum = 0;
        for (int b = 0; b < 3; b++) {
            sum += Math.exp(m.logProbability(1, b));
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        double expected = -(Math.log(3.0 / 5) + Math.log(2.0 / 5) + Math.log(3.0 / 5) + Math.log(2.0 / 5)) / 4;
        assertThat(m.meanLoss(TokenSequence.of(0, 1, 0, 1, 2))).isCloseTo(expected, within(1e-12));
    }

    @Test
    void savesAndLoadsTheSameModel() throws IOException {
        BigramModel m = BigramModel.count(TokenSequence.of(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5), 10);
        m.save(tmp);
        assertThat(BigramModel.isIn(tmp)).isTrue();
        BigramModel back = BigramModel.load(tmp);
        TokenSequence probe = TokenSequence.of(5, 3, 5, 9, 0, 1);
        assertThat(back.meanLoss(probe)).isEqualTo(m.meanLoss(probe));
    }

    @Test
    void aDamagedFileIsAnErrorNamingIt() throws IOException {
        BigramModel.count(TokenSequence.of(1, 2, 3), 4).save(tmp);
        SafetensorsWriter.writeF32(tmp.resolve(BigramModel.COUNTS), List.of(
                new NamedTensor("first", new int[] {1}, new float[] {7}),
                new NamedTensor("second", new int[] {1}, new float[] {0}),
                new NamedTensor("count", new int[] {1}, new float[] {1})), Map.of());
        assertThatThrownBy(() -> BigramModel.load(tmp)).hasMessageContaining(BigramModel.COUNTS)
                .hasMessageContaining("outside the vocabulary");
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"gpt4j-bigram\", \"vocab_size\": -2}");
        assertThatThrownBy(() -> BigramModel.load(tmp)).hasMessageContaining("config.json").hasMessageContaining("vocab_size");
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"gpt4j-bigram\",");
        assertThatThrownBy(() -> BigramModel.load(tmp)).isInstanceOf(org.gpt4j.io.ModelFormatException.class)
                .hasMessageContaining("config.json").hasMessageContaining("is not valid JSON");
    }

    @Test
    void aClaimedVocabularySizesNothing() throws IOException {
        BigramModel.count(TokenSequence.of(1, 2, 3, 1, 2), 4).save(tmp);
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"gpt4j-bigram\", \"vocab_size\": 2000000000}");
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        BigramModel m = BigramModel.load(tmp);
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(16L << 20);
        assertThat(Math.exp(m.logProbability(1, 2))).isCloseTo(3.0 / (2 + 2_000_000_000.0), within(1e-15));
    }
}
