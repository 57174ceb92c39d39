package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.WeightFormat;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inference with bf16 and int8 weights agrees with PyTorch running the same quantized model
 * (tools/reference/quantization_reference.py, float64 on the bf16-rounded or int8-dequantized
 * weights): the int8 codes and scales exactly, the logits to 1e-5 relative, both through a whole
 * batch (the widen-then-multiply path) and one token at a time with a KV cache (the streaming
 * path).
 */
class CompactWeightsParityTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"multi-head, bf16", "multi-head, int8", "nopos-relu, bf16", "nopos-relu, int8"})
    void logitsMatchPyTorchOnTheQuantizedModel(String name, String label) throws IOException {
        ReferenceFixture fx = ReferenceFixture.load(name);
        Gpt f32 = ModelDirectory.load(fx.dir());
        WeightFormat format = WeightFormat.parse(label);
        Gpt gpt = f32.withWeightFormat(format);
        int b = fx.batch();
        int t = fx.length();
        int v = gpt.config().vocabSize();
        try (SafetensorsFile ref = SafetensorsFile.open(ReferenceFixture.resource("fixtures/quantized/" + name + ".safetensors"))) {
            float[] expected = ref.readFloats("logits." + label);
            float[] whole = gpt.forward(fx.tokens(), b, t).logits();
            double wholeError = ReferenceFixture.relativeError(whole, b * t * v, expected);

            // The same tokens one position at a time, all sequences together (B rows per product).
            KvCache cache = new KvCache(gpt.config(), b, t);
            float[] stepped = new float[b * t * v];
            for (int pos = 0; pos < t; pos++) {
                int[] column = new int[b];
                for (int s = 0; s < b; s++) {
                    column[s] = fx.tokens()[s * t + pos];
                }
                float[] logits = gpt.forward(column, b, 1, cache).logits();
                for (int s = 0; s < b; s++) {
                    System.arraycopy(logits, s * v, stepped, (s * t + pos) * v, v);
                }
            }
            double steppedError = ReferenceFixture.relativeError(stepped, stepped.length, expected);
            double quantizationEffect = ReferenceFixture.relativeError(
                    f32.forward(fx.tokens(), b, t).logits(), b * t * v, expected);
            System.out.printf(Locale.ROOT, "parity %-10s %-4s logits %.2e  decoding %.2e  (f32 vs quantized: %.2e)%n",
                    name, label, wholeError, steppedError, quantizationEffect);
            assertThat(wholeError).as("whole batch").isLessThan(1e-5);
            assertThat(steppedError).as("decoding with a cache").isLessThan(1e-5);
            assertThat(quantizationEffect).as("the fixture differs from the f32 model").isGreaterThan(1e-3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi-head", "nopos-relu"})
    void int8CodesAndScalesEqualTorchQuantizePerChannel(String name) throws IOException {
        ReferenceFixture fx = ReferenceFixture.load(name);
        Parameters params = ModelDirectory.load(fx.dir()).parameters();
        int checked = 0;
        try (SafetensorsFile ref = SafetensorsFile.open(ReferenceFixture.resource("fixtures/quantized/" + name + ".safetensors"))) {
            for (ParameterSpec spec : params.specs()) {
                if (!ref.has("int8." + spec.name())) {
                    continue;
                }
                boolean rowChannels = spec.name().equals("wte.weight");
                int rows = spec.shape()[0];
                int cols = spec.shape()[1];
                CompactMatrix q = CompactMatrix.of(params.data(spec.name()), rows, cols, rowChannels, WeightFormat.INT8);
                float[] codes = ref.readFloats("int8." + spec.name());
                float[] scales = ref.readFloats("scale." + spec.name());
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        assertThat(q.quantized(r, c)).as("%s[%d, %d]", spec.name(), r, c).isEqualTo((int) codes[r * cols + c]);
                    }
                }
                for (int ch = 0; ch < scales.length; ch++) {
                    assertThat(q.scale(ch)).as("%s scale %d", spec.name(), ch).isEqualTo(scales[ch]);
                }
                checked++;
            }
        }
        // wte and the four matrices of every block.
        assertThat(checked).isEqualTo(1 + 4 * ModelDirectory.load(fx.dir()).config().nLayer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bf16", "int8"})
    void loadingCompactHoldsOnlyTheCompactCopiesOfTheMatrices(String label, @TempDir Path tmp) throws IOException {
        ReferenceFixture fx = ReferenceFixture.load("multi-head");
        WeightFormat format = WeightFormat.parse(label);
        Gpt loaded = ModelDirectory.load(fx.dir(), format);
        Gpt converted = ModelDirectory.load(fx.dir()).withWeightFormat(format);
        assertThat(loaded.weightFormat()).isEqualTo(format);
        assertThat(loaded.forward(fx.tokens(), fx.batch(), fx.length()).logits())
                .containsExactly(converted.forward(fx.tokens(), fx.batch(), fx.length()).logits());
        Parameters p = loaded.parameters();
        assertThat(p.compactData("wte.weight").rowChannels()).isTrue();
        CompactMatrix cFc = p.compactData("h.0.mlp.c_fc.weight");
        assertThat(cFc.rowChannels()).as("Conv1D copies are stored [out, in]").isTrue();
        assertThat(cFc.rows()).isEqualTo(4 * cFc.cols());
        assertThat(p.compactData("wpe.weight")).as("positions stay f32").isNull();
        assertThat(p.data("h.0.ln_1.weight")).hasSize(32);
        assertThatThrownBy(() -> p.data("h.1.attn.c_proj.weight")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held as " + label);
        assertThatThrownBy(() -> ModelDirectory.save(loaded, tmp.resolve("out")))
                .hasMessageContaining("only an f32 model is saved");
        assertThat(tmp.resolve("out")).doesNotExist();
        assertThatThrownBy(() -> loaded.withWeightFormat(WeightFormat.F32)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bf16", "int8"})
    void compactModelsRefuseTraining(String label) throws IOException {
        ReferenceFixture fx = ReferenceFixture.load("multi-head");
        Gpt f32 = ModelDirectory.load(fx.dir());
        Gpt gpt = f32.withWeightFormat(WeightFormat.parse(label));
        gpt.forward(fx.tokens(), fx.targets(), fx.batch(), fx.length());
        assertThatThrownBy(gpt::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(label).hasMessageContaining("training needs f32");
    }
}
