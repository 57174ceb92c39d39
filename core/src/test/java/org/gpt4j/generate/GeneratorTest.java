package org.gpt4j.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generation loop: context sliding, streaming, stopping, seeds, the timeline, bad input. */
class GeneratorTest {

    private static final Gpt MODEL = Fixtures.model("multi-head"); // n_positions 24, vocabulary 96
    private static final int[] PROMPT = {95, 92, 15, 27, 54};

    private static GenerationConfig.Builder sampling(long seed) {
        return GenerationConfig.builder().doSample(true).temperature(1.5).topK(0).seed(seed);
    }

    /** 300 crosses the first size of the growing token buffer ({@link Generator#INITIAL_ROOM}). */
    @ParameterizedTest
    @ValueSource(ints = {45, 300})
    void slidingWindowEqualsFullRecomputationOverThePolicysWindow(int newTokens) {
        GenerationConfig config = sampling(7).maxNewTokens(newTokens).repetitionPenalty(1.2).build();
        int[] generated = new Generator(MODEL).generate(PROMPT, config).get(0).tokens();

        // The same draws from a forward over exactly the visible window, without a cache.
        int n = MODEL.config().nPositions();
        int v = MODEL.config().vocabSize();
        Sampler sampler = Sampler.categorical(new SplittableRandom(7));
        List<Integer> ids = new ArrayList<>(Arrays.stream(PROMPT).boxed().toList());
        int start = 0;
        for (int step = 0; step < newTokens; step++) {
            int[] window = ids.subList(start, ids.size()).stream().mapToInt(Integer::intValue).toArray();
            float[] scores = Arrays.copyOfRange(MODEL.forward(window, 1, window.length).logits(),
                    (window.length - 1) * v, window.length * v);
            int[] all = ids.stream().mapToInt(Integer::intValue).toArray();
            new RepetitionPenalty(1.2).process(all, all.length, scores);
            new Temperature(1.5).process(all, all.length, scores);
            ids.add(sampler.choose(scores));
            if (ids.size() - start > n) {
                start = ids.size() - ContextWindow.keptAfterSlide(n);
            }
        }
        assertThat(generated).hasSize(newTokens).containsExactly(ids.subList(PROMPT.length, ids.size()).stream()
                .mapToInt(Integer::intValue).toArray());
    }

    @Test
    void promptLongerThanTheContextIsReadFromItsMostRecentTokens() {
        int[] longPrompt = new SplittableRandom(3).ints(30, 0, 96).toArray();
        int kept = ContextWindow.keptAfterSlide(24);
        GenerationConfig greedy = GenerationConfig.builder().maxNewTokens(6).build();
        int[] fromLong = new Generator(MODEL).generate(longPrompt, greedy).get(0).tokens();
        int[] fromTail = new Generator(MODEL).generate(Arrays.copyOfRange(longPrompt, 30 - kept, 30), greedy).get(0).tokens();
        assertThat(fromLong).containsExactly(fromTail);
    }

    @Test
    void listenerReceivesEveryTokenAsItIsChosen() {
        List<Integer> streamed = new ArrayList<>();
        List<FinishReason> ends = new ArrayList<>();
        TokenListener listener = new TokenListener() {
            @Override
            public void onToken(int sequence, int id) {
                streamed.add(sequence * 1000 + id);
            }

            @Override
            public void onEnd(int sequence, FinishReason reason) {
                ends.add(reason);
            }
        };
        List<GeneratedSequence> out = new Generator(MODEL).generate(PROMPT,
                sampling(5).maxNewTokens(8).numReturnSequences(2).build(), listener, 0);
        List<Integer> expected = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            for (int id : out.get(s).tokens()) {
                expected.add(s * 1000 + id);
            }
        }
        assertThat(streamed).isEqualTo(expected);
        assertThat(ends).containsExactly(FinishReason.LENGTH, FinishReason.LENGTH);
    }

    @Test
    void oneSeedGivesOneText() {
        GenerationConfig config = sampling(42).maxNewTokens(20).numReturnSequences(3).build();
        List<GeneratedSequence> a = new Generator(MODEL).generate(PROMPT, config);
        List<GeneratedSequence> b = new Generator(MODEL).generate(PROMPT, config);
        for (int i = 0; i < 3; i++) {
            assertThat(a.get(i).tokens()).containsExactly(b.get(i).tokens());
        }
        assertThat(a.get(0).tokens()).isNotEqualTo(a.get(1).tokens());
        int[] otherSeed = new Generator(MODEL).generate(PROMPT, sampling(43).maxNewTokens(20).build()).get(0).tokens();
        assertThat(otherSeed).isNotEqualTo(a.get(0).tokens());
    }

    @Test
    void endOfSequenceTokenEndsTheSequenceAndIsKept() {
        int[] free = new Generator(MODEL).generate(PROMPT, GenerationConfig.builder().maxNewTokens(12).build()).get(0).tokens();
        int eos = free[5]; // 77 in [58, 41, 41, 41, 41, 77, ...]
        GeneratedSequence out = new Generator(MODEL).generate(PROMPT,
                GenerationConfig.builder().maxNewTokens(12).eosTokenId(eos).build()).get(0);
        assertThat(out.tokens()).containsExactly(Arrays.copyOf(free, 6));
        assertThat(out.reason()).isEqualTo(FinishReason.EOS);
    }

    @Test
    void stopStringEndsTheSequenceOnceTheTextContainsIt() {
        // Token i reads "<i>": the stop string "1><7" spans the boundary of tokens 4 and 5 (41, 77).
        Generator generator = new Generator(MODEL, id -> ("<" + id + ">").getBytes(StandardCharsets.UTF_8));
        GeneratedSequence out = generator.generate(PROMPT,
                GenerationConfig.builder().maxNewTokens(12).stopStrings(List.of("zz", "1><7")).build()).get(0);
        assertThat(out.tokens()).containsExactly(58, 41, 41, 41, 41, 77);
        assertThat(out.reason()).isEqualTo(FinishReason.STOP_STRING);
    }

    @Test
    void timelineShowsEachStagesProbabilitiesAndTheChosenToken() {
        List<GenerationStep> steps = new ArrayList<>();
        TokenListener listener = new TokenListener() {
            @Override
            public void onToken(int sequence, int id) {
            }

            @Override
            public void onStep(int sequence, GenerationStep step) {
                steps.add(step);
            }
        };
        GenerationConfig config = sampling(1).temperature(0.8).topK(3).topP(0.9).maxNewTokens(5).build();
        List<GeneratedSequence> out = new Generator(MODEL).generate(PROMPT, config, listener, 6);
        assertThat(steps).hasSize(5);
        for (GenerationStep step : steps) {
            assertThat(step.stages()).containsExactly("model", "temperature", "top_k", "top_p");
            assertThat(step.chosen()).isEqualTo(out.get(0).tokens()[step.index()]);
            assertThat(step.candidates()).hasSize(6);
            // Ranked by the model; top_k leaves exactly 3 with probability, the rest at 0.
            for (int c = 1; c < 6; c++) {
                assertThat(step.candidates().get(c).probabilities()[0])
                        .isLessThanOrEqualTo(step.candidates().get(c - 1).probabilities()[0]);
            }
            assertThat(step.candidates().stream().filter(c -> c.probabilities()[2] > 0)).hasSize(3);
            GenerationStep.Candidate chosen = step.candidates().stream().filter(c -> c.id() == step.chosen()).findFirst().orElseThrow();
            assertThat(chosen.probabilities()[3]).isPositive();
        }
    }

    @Test
    void beamSearchReturnsTheBestSequencesBestFirst() {
        GenerationConfig config = GenerationConfig.builder().numBeams(4).numReturnSequences(4).maxNewTokens(6).build();
        List<GeneratedSequence> out = new Generator(MODEL).generate(PROMPT, config);
        assertThat(out).hasSize(4);
        for (int i = 1; i < 4; i++) {
            assertThat(out.get(i).score()).isLessThanOrEqualTo(out.get(i - 1).score());
        }
        assertThat(out).allMatch(s -> s.tokens().length == 6 && s.reason() == FinishReason.LENGTH);
    }

    @Test
    void badInputGetsAClearError() {
        Generator generator = new Generator(MODEL);
        GenerationConfig greedy = GenerationConfig.builder().maxNewTokens(3).build();
        assertThatThrownBy(() -> generator.generate(new int[0], greedy)).hasMessageContaining("prompt is empty");
        assertThatThrownBy(() -> generator.generate(new int[] {1, 96}, greedy))
                .hasMessageContaining("prompt token 96 at position 1 is outside the vocabulary (vocab_size = 96)");
        assertThatThrownBy(() -> generator.generate(PROMPT, greedy.toBuilder().eosTokenId(500).build()))
                .hasMessageContaining("eos_token_id 500");
        assertThatThrownBy(() -> generator.generate(PROMPT, greedy.toBuilder().stopStrings(List.of("x")).build()))
                .hasMessageContaining("stop_strings need a tokenizer");
        assertThatThrownBy(() -> generator.generate(PROMPT, greedy.toBuilder().numBeams(2).build(), (s, id) -> { }, 0))
                .hasMessageContaining("need num_beams = 1");
    }

    /** max_new_tokens is a limit, never a size: the largest int allocates nothing up front. */
    @Test
    void theLargestMaxNewTokensSizesNothingUpFront() {
        GenerationConfig greedy = GenerationConfig.builder().maxNewTokens(8).build();
        int[] first = new Generator(MODEL).generate(PROMPT, greedy).get(0).tokens();
        GenerationConfig unbounded = greedy.toBuilder().maxNewTokens(Integer.MAX_VALUE).eosTokenId(first[3]).build();
        GeneratedSequence out = new Generator(MODEL).generate(PROMPT, unbounded).get(0);
        assertThat(out.reason()).isEqualTo(FinishReason.EOS);
        int end = 0;
        while (first[end] != first[3]) {
            end++;
        }
        assertThat(out.tokens()).containsExactly(Arrays.copyOf(first, end + 1));

        GenerationConfig beams = GenerationConfig.builder().numBeams(2).maxNewTokens(6).build();
        List<GeneratedSequence> bounded = new Generator(MODEL).generate(PROMPT, beams);
        List<GeneratedSequence> huge = new Generator(MODEL).generate(PROMPT, beams.toBuilder()
                .maxNewTokens(Integer.MAX_VALUE).eosTokenId(bounded.get(0).tokens()[0]).earlyStopping(EarlyStopping.TRUE).build());
        assertThat(huge).isNotEmpty();
        assertThat(huge.get(0).reason()).isEqualTo(FinishReason.EOS);
    }

    @Test
    void nonFiniteLogitsAreOneErrorForGreedySamplingAndBeamSearch() {
        Parameters p = MODEL.parameters();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : p.specs()) {
            values.put(spec.name(), p.data(spec.name()).clone());
        }
        values.get("h.0.mlp.c_fc.weight")[3] = Float.NaN;
        Gpt broken = new Gpt(MODEL.config(), Parameters.of(p.layout(), values));
        for (GenerationConfig config : List.of(GenerationConfig.builder().maxNewTokens(3).build(),
                sampling(1).maxNewTokens(3).build(), GenerationConfig.builder().numBeams(3).maxNewTokens(3).build())) {
            assertThatThrownBy(() -> new Generator(broken).generate(PROMPT, config))
                    .as(config.toString()).isInstanceOf(NonFiniteLogitsException.class)
                    .hasMessageContaining("the model's next-token logits are not finite (NaN");
        }
    }
}
