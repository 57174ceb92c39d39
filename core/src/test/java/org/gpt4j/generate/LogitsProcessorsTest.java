package org.gpt4j.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.gpt4j.tensor.SoftmaxKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each processor, and their composition, gives Hugging Face's distribution (generation_reference.py). */
class LogitsProcessorsTest {

    static final JsonNode WARPERS = Fixtures.json("generation/warpers.json");

    static Stream<JsonNode> cases() {
        return StreamSupport.stream(WARPERS.get("cases").spliterator(), false);
    }

    static float[] logits() {
        JsonNode l = WARPERS.get("logits");
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) l.get(i).asDouble();
        }
        return out;
    }

    /** The probabilities after every processor of a config, applied to the fixture's logits. */
    static double[] processed(GenerationConfig config) {
        float[] scores = logits();
        int[] history = Fixtures.ints(WARPERS.get("history"));
        for (LogitsProcessor p : LogitsProcessors.of(config)) {
            p.process(history, history.length, scores);
        }
        double[] probs = new double[scores.length];
        SoftmaxKernel.softmax(probs, scores, 0, scores.length);
        return probs;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filteredDistributionMatchesHuggingFaceReference(JsonNode c) {
        JsonNode settings = c.get("settings").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) settings).put("max_new_tokens", 1);
        double[] probs = processed(Fixtures.config(settings, true));
        JsonNode expected = c.get("probabilities");
        for (int i = 0; i < probs.length; i++) {
            double e = expected.get(i).asDouble();
            assertThat(probs[i] == 0).as("token " + i + " removed").isEqualTo(e == 0);
            assertThat(probs[i]).as("token " + i).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void processorsComeInHuggingFacesOrder() {
        GenerationConfig all = GenerationConfig.builder().doSample(true).temperature(0.8).topK(40).topP(0.95)
                .minP(0.05).typicalP(0.9).repetitionPenalty(1.1).noRepeatNgramSize(3).build();
        assertThat(LogitsProcessors.of(all)).extracting(LogitsProcessor::name).containsExactly(
                "repetition_penalty", "no_repeat_ngram_size", "temperature", "top_k", "top_p", "min_p", "typical_p");
    }

    @Test
    void greedyAndBeamSearchApplyOnlyThePenalties() {
        GenerationConfig greedy = GenerationConfig.builder().temperature(0.5).topK(3).topP(0.5)
                .repetitionPenalty(1.2).build();
        assertThat(LogitsProcessors.of(greedy)).extracting(LogitsProcessor::name).containsExactly("repetition_penalty");
    }

    @Test
    void neutralWarpersAreLeftOut() {
        GenerationConfig neutral = GenerationConfig.builder().doSample(true).topK(0).build();
        assertThat(LogitsProcessors.of(neutral)).isEmpty();
    }

    @Test
    void repetitionPenaltyPenalisesEachSeenTokenOnce() {
        float[] scores = {2f, -2f, 1f, 3f};
        new RepetitionPenalty(2.0).process(new int[] {0, 1, 0, 0}, 4, scores);
        assertThat(scores).containsExactly(1f, -4f, 1f, 3f);
    }

    @Test
    void noRepeatNGramBansTheTokenThatWouldRepeatATrigram() {
        float[] scores = new float[10];
        // "4 5 6 ... 4 5" -> 6 would repeat the trigram 4 5 6; the history's length limits what counts.
        new NoRepeatNGram(3).process(new int[] {4, 5, 6, 1, 4, 5, 9}, 6, scores);
        assertThat(scores[6]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(List.of(0, 1, 2, 3, 4, 5, 7, 8, 9)).allMatch(i -> scores[i] == 0f);
    }

    @Test
    void topKKeepsTiesWithTheKthScore() {
        float[] scores = {1f, 3f, 2f, 2f, 0f};
        new TopK(2).process(new int[0], 0, scores);
        assertThat(scores).containsExactly(Float.NEGATIVE_INFINITY, 3f, 2f, 2f, Float.NEGATIVE_INFINITY);
    }
}
