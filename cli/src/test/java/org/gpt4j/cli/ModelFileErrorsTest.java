package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken model directory gives one clear error line naming the file and the problem, exit
 * code 1, and no stack trace.
 */
class ModelFileErrorsTest {

    @TempDir
    Path tmp;

    Path model;

    @BeforeEach
    void initModel() {
        model = tmp.resolve("m");
        Cli.Result r = Cli.run("init", "--layers", "1", "--heads", "1", "--embd", "4", "--vocab", "10",
                "--context", "8", "--out", model.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    private String inspectError() {
        Cli.Result r = Cli.run("inspect", "--model", model.toString(), "--tokens", "1,2");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ");
        return r.err();
    }

    private Path weights() {
        return model.resolve("model.safetensors");
    }

    /** A safetensors file with the given header JSON and data section. */
    private void writeSafetensors(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h).put(data);
        Files.write(weights(), buf.array());
    }

    @Test
    void truncatedWeights() throws IOException {
        byte[] all = Files.readAllBytes(weights());
        Files.write(weights(), java.util.Arrays.copyOf(all, all.length - 10));
        assertThat(inspectError()).contains("model.safetensors");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(1_000_000L).putLong(0);
        Files.write(weights(), buf.array());
        assertThat(inspectError()).contains("model.safetensors").containsIgnoringCase("header");
    }

    @Test
    void overlappingOffsets() throws IOException {
        writeSafetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
        assertThat(inspectError()).contains("model.safetensors").containsIgnoringCase("overlap");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        writeSafetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4]);
        assertThat(inspectError()).contains("model.safetensors").contains("'a'");
    }

    @Test
    void unknownDtype() throws IOException {
        writeSafetensors("{\"a\":{\"dtype\":\"F13\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThat(inspectError()).contains("model.safetensors").contains("F13");
    }

    @Test
    void shapesThatContradictConfig() throws IOException {
        Path config = model.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"n_embd\" : 4", "\"n_embd\" : 8"));
        assertThat(inspectError()).contains("model.safetensors").contains("wte.weight").contains("config.json");
    }

    @Test
    void missingTensor() throws IOException {
        writeSafetensors("{\"wte.weight\":{\"dtype\":\"F32\",\"shape\":[10,4],\"data_offsets\":[0,160]}}", new byte[160]);
        assertThat(inspectError()).contains("model.safetensors").contains("missing").contains("wpe.weight");
    }

    @Test
    void unknownActivation() throws IOException {
        Path config = model.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"gelu_new\"", "\"swish9\""));
        assertThat(inspectError()).contains("config.json").contains("swish9");
    }

    @Test
    void configThatIsNotJson() throws IOException {
        Files.writeString(model.resolve("config.json"), "{\"n_layer\": 1,");
        assertThat(inspectError()).contains("config.json").contains("not valid JSON");
    }

    @Test
    void missingModelDirectory() {
        model = tmp.resolve("nowhere");
        assertThat(inspectError()).contains("nowhere").contains("config.json");
    }
}
