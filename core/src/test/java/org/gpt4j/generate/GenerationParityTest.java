package org.gpt4j.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Greedy and beam search equal the float64 PyTorch reference (generation_reference.py) token for token. */
class GenerationParityTest {

    static Stream<JsonNode> greedyCases() {
        return StreamSupport.stream(Fixtures.json("generation/greedy.json").spliterator(), false);
    }

    static Stream<JsonNode> beamCases() {
        return StreamSupport.stream(Fixtures.json("generation/beam.json").spliterator(), false);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("greedyCases")
    void greedyDecodingMatchesPyTorchReference(JsonNode c) {
        Generator generator = new Generator(Fixtures.model(c.get("model").asText()));
        List<GeneratedSequence> out = generator.generate(Fixtures.ints(c.get("prompt")),
                Fixtures.config(c.get("settings"), false));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).tokens()).containsExactly(Fixtures.ints(c.get("tokens")));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("beamCases")
    void beamSearchMatchesPyTorchReference(JsonNode c) {
        Generator generator = new Generator(Fixtures.model(c.get("model").asText()));
        List<GeneratedSequence> out = generator.generate(Fixtures.ints(c.get("prompt")),
                Fixtures.config(c.get("settings"), false));
        JsonNode expected = c.get("sequences");
        assertThat(out).hasSize(expected.size());
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).tokens()).as("sequence " + i).containsExactly(Fixtures.ints(expected.get(i).get("tokens")));
            double score = expected.get(i).get("score").asDouble();
            assertThat(out.get(i).score()).as("score of sequence " + i).isCloseTo(score,
                    org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(score))));
        }
    }
}
