package org.gpt4j.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The config rejects values and combinations Hugging Face would not run, naming the field. */
class GenerationConfigTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("max_new_tokens must be positive", b -> b.maxNewTokens(0)),
                bad("temperature must be a positive number, got 0.0", b -> b.temperature(0)),
                bad("temperature must be a positive number, got -1.0", b -> b.temperature(-1)),
                bad("top_k must be >= 0", b -> b.topK(-1)),
                bad("top_p must be in (0, 1], got 0.0", b -> b.topP(0)),
                bad("top_p must be in (0, 1], got 1.5", b -> b.topP(1.5)),
                bad("min_p must be in [0, 1]", b -> b.minP(2)),
                bad("typical_p must be in (0, 1]", b -> b.typicalP(0)),
                bad("repetition_penalty must be a positive number", b -> b.repetitionPenalty(0)),
                bad("no_repeat_ngram_size must be >= 0", b -> b.noRepeatNgramSize(-2)),
                bad("num_beams must be >= 1", b -> b.numBeams(0)),
                bad("length_penalty must be a finite number", b -> b.lengthPenalty(Double.NaN)),
                bad("num_return_sequences must be >= 1", b -> b.numReturnSequences(0)),
                bad("eos_token_id must be >= 0", b -> b.eosTokenId(-3)),
                bad("eos_token_id entries must be >= 0, got -1", b -> b.eosTokenIds(List.of(3, -1))),
                bad("stop_strings must not contain an empty string", b -> b.stopStrings(List.of(""))),
                bad("beam sampling) is not supported", b -> b.numBeams(3).doSample(true)),
                bad("num_return_sequences (4) must be <= num_beams (3)", b -> b.numBeams(3).numReturnSequences(4)),
                bad("stop_strings are not supported with beam search", b -> b.numBeams(2).stopStrings(List.of("."))),
                bad("greedy decoding gives one sequence", b -> b.numReturnSequences(2)));
    }

    private static Arguments bad(String message, UnaryOperator<GenerationConfig.Builder> change) {
        return Arguments.of(message, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidSettingsAreRejectedNamingTheField(String message, UnaryOperator<GenerationConfig.Builder> change) {
        assertThatThrownBy(() -> change.apply(GenerationConfig.builder()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void defaultsAreHuggingFaces() {
        GenerationConfig c = GenerationConfig.builder().build();
        assertThat(c.doSample()).isFalse();
        assertThat(c.maxNewTokens()).isEqualTo(20);
        assertThat(c.topK()).isEqualTo(50);
        assertThat(c.topP()).isEqualTo(1.0);
        assertThat(c.numBeams()).isEqualTo(1);
        assertThat(c.earlyStopping()).isEqualTo(EarlyStopping.FALSE);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void earlyStoppingParsesHuggingFacesThreeValues() {
        assertThat(EarlyStopping.parse("True")).isEqualTo(EarlyStopping.TRUE);
        assertThat(EarlyStopping.parse("false")).isEqualTo(EarlyStopping.FALSE);
        assertThat(EarlyStopping.parse("never")).isEqualTo(EarlyStopping.NEVER);
        assertThatThrownBy(() -> EarlyStopping.parse("sometimes")).hasMessageContaining("early_stopping must be true, false or never");
    }
}
