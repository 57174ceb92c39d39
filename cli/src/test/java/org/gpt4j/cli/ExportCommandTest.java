package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --dtype bf16}: half the bytes, every weight the nearest bfloat16, the tokenizer beside it. */
class ExportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void bf16ExportHoldsTheRoundedWeightsAndTheTokenizer() throws Exception {
        Path dir = tmp.resolve("m");
        CharTokenizer tok = CharTokenizer.fromText("abcdefgh ");
        Gpt gpt = GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 32, tok.vocabSize()), 3);
        ModelDirectory.save(gpt, dir);
        Tokenizers.save(tok, dir);
        Path out = tmp.resolve("bf16");
        Cli.Result r = Cli.run("export", "--model", dir.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("bf16").contains("with its tokenizer");

        assertThat(Files.size(out.resolve("model.safetensors"))).isLessThan(Files.size(dir.resolve("model.safetensors")) * 6 / 10);
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"torch_dtype\" : \"bfloat16\"");
        assertThat(new String(Files.readAllBytes(out.resolve("model.safetensors")), 0, 400, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("\"dtype\":\"BF16\"");
        Gpt back = ModelDirectory.load(out);
        for (ParameterSpec s : gpt.parameters().specs()) {
            float[] a = gpt.parameters().data(s.name());
            float[] b = back.parameters().data(s.name());
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).as(s.name() + "[" + i + "]").isEqualTo(CompactMatrix.fromBf16(CompactMatrix.toBf16(a[i])));
            }
        }
        assertThat(Tokenizers.load(out).encode("abc")).containsExactly(tok.encode("abc"));

        Cli.Result again = Cli.run("export", "--model", dir.toString(), "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a model");
        Cli.Result badDtype = Cli.run("export", "--model", dir.toString(), "--out", tmp.resolve("x").toString(), "--dtype", "f16");
        assertThat(badDtype.exitCode()).isEqualTo(1);
        assertThat(badDtype.err()).contains("--dtype");
    }
}
