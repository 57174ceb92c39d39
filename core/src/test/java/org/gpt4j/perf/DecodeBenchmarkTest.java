package org.gpt4j.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tensor.WeightFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a decoded token counts as read from memory, for bandwidth utilisation (never a timing). */
class DecodeBenchmarkTest {

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void aDecodedTokenReadsEveryBlockMatrixAndWteAsStored(WeightFormat format) {
        int layers = 2, c = 32, vocab = 50;
        GptConfig config = GptConfig.gpt2(layers, 2, c, 16, vocab);
        long weights = layers * 12L * c * c + (long) vocab * c;
        // int8: one float scale per output channel: c_attn 3C, c_proj C, c_fc 4C, mlp c_proj C; wte V.
        long scales = format == WeightFormat.INT8 ? 4L * (layers * 9L * c + vocab) : 0;
        long bytes = DecodeBenchmark.weightBytesPerToken(GptInit.gpt2(config, 1).compacted(format));
        assertThat(bytes).isEqualTo(weights * format.bytesPerWeight() + scales);
        var result = new DecodeBenchmark.Result(1, 100, bytes);
        assertThat(result.bandwidthUtilisation(bytes * 200.0)).isCloseTo(0.5, within(1e-12));
    }
}
