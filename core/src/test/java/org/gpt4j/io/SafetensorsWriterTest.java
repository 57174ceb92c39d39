package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing safetensors: the exact byte layout, round trips, and never a half-written file. */
class SafetensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesTheSafetensorsLayoutByteForByte() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafetensorsWriter.writeF32(f, List.of(
                new NamedTensor("b", new int[] {2}, new float[] {1f, -2f}),
                new NamedTensor("a", new int[] {1, 1}, new float[] {0.5f})), Map.of("format", "pt"));

        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}";
        int padded = (json.length() + 7) / 8 * 8; // spaces up to a multiple of 8, as the Rust library pads
        assertThat(file.getLong(0)).isEqualTo(padded);
        assertThat(new String(file.array(), 8, padded, StandardCharsets.UTF_8)).isEqualTo(json + " ".repeat(padded - json.length()));
        assertThat(file.capacity()).isEqualTo(8 + padded + 12);
        assertThat(file.getFloat(8 + padded)).isEqualTo(1f);
        assertThat(file.getFloat(8 + padded + 4)).isEqualTo(-2f);
        assertThat(file.getFloat(8 + padded + 8)).isEqualTo(0.5f);
    }

    @Test
    void roundTripsNamesOrderShapesMetadataAndEveryBitOfTheValues() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "ünïcode ✓");
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7fa00001), Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE,
            Float.MAX_VALUE};
        List<NamedTensor> tensors = List.of(
                new NamedTensor("z.weight", new int[] {2, 3}, special),
                new NamedTensor("scalar", new int[] {}, new float[] {42f}),
                new NamedTensor("empty", new int[] {0, 5}, new float[0]),
                new NamedTensor("a.bias", new int[] {4}, new float[] {1, 2, 3, 4}));
        Path f = dir.resolve("rt.safetensors");
        SafetensorsWriter.writeF32(f, tensors, metadata);

        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertThat(st.names()).containsExactly("z.weight", "scalar", "empty", "a.bias");
            assertThat(st.metadata()).isEqualTo(metadata);
            for (NamedTensor t : tensors) {
                assertThat(st.dtype(t.name())).isEqualTo("F32");
                assertThat(st.shape(t.name())).isEqualTo(t.shape());
                assertThat(rawBits(st.readFloats(t.name()))).isEqualTo(rawBits(t.data()));
            }
        }
    }

    @Test
    void streamsTensorsLargerThanItsWriteBuffer() throws IOException {
        float[] big = new float[700_001]; // 2.8 MB: several buffers and a ragged last one
        Random r = new Random(1);
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) r.nextGaussian();
        }
        Path f = dir.resolve("big.safetensors");
        SafetensorsWriter.writeF32(f, List.of(new NamedTensor("x", new int[] {big.length}, big),
                new NamedTensor("y", new int[] {1}, new float[] {7f})), null);
        assertThat(SafetensorsBytes.readF32(f, "x")).isEqualTo(big);
        assertThat(SafetensorsBytes.readF32(f, "y")).containsExactly(7f);
        assertThat(SafetensorsBytes.header(f).has("__metadata__")).isFalse();
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path f = Files.writeString(dir.resolve("old.safetensors"), "old content");
        SafetensorsWriter.writeF32(f, List.of(new NamedTensor("w", new int[] {1}, new float[] {3f})), Map.of());
        assertThat(SafetensorsBytes.readF32(f, "w")).containsExactly(3f);
        assertThat(filesIn(dir)).containsExactly("old.safetensors");
    }

    @Test
    void rejectsDuplicateAndReservedNamesBeforeTouchingTheDisk() throws IOException {
        Path f = Files.writeString(dir.resolve("keep.safetensors"), "good data");
        NamedTensor w = new NamedTensor("w", new int[] {1}, new float[] {1f});
        assertThatThrownBy(() -> SafetensorsWriter.writeF32(f, List.of(w, w), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w' appears twice");
        assertThatThrownBy(() -> SafetensorsWriter.writeF32(f,
                List.of(new NamedTensor("__metadata__", new int[] {1}, new float[] {1f})), Map.of()))
                .hasMessageContaining("reserved");
        assertThat(Files.readString(f)).isEqualTo("good data");
        assertThat(filesIn(dir)).containsExactly("keep.safetensors");
    }

    @Test
    void aWriteThatFailsMidwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = Files.writeString(dir.resolve("model.safetensors"), "good data");
        // An interrupted thread's file channel closes on its first write: a real I/O failure
        // after the temporary file exists.
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> SafetensorsWriter.writeF32(f,
                    List.of(new NamedTensor("w", new int[] {1}, new float[] {1f})), Map.of()))
                    .isInstanceOf(ClosedByInterruptException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(Files.readString(f)).isEqualTo("good data");
        assertThat(filesIn(dir)).containsExactly("model.safetensors");
    }

    @Test
    void aRenameThatFailsLeavesTheTargetAndNoTemporaryFile() throws IOException {
        // A non-empty directory cannot be replaced by a file: the complete temporary file must go.
        Path target = Files.createDirectory(dir.resolve("taken.safetensors"));
        Files.writeString(target.resolve("inside"), "x");
        assertThatThrownBy(() -> SafetensorsWriter.writeF32(target,
                List.of(new NamedTensor("w", new int[] {1}, new float[] {1f})), Map.of()))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("inside"))).isEqualTo("x");
        assertThat(filesIn(dir)).containsExactly("taken.safetensors");
    }

    @Test
    void namedTensorChecksItsShapeAgainstItsData() {
        assertThatThrownBy(() -> new NamedTensor("w", new int[] {2, 3}, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'w'").hasMessageContaining("[2, 3] needs 6 values, got 5");
        assertThatThrownBy(() -> new NamedTensor("w", new int[] {-2, -3}, new float[6]))
                .hasMessageContaining("negative dimension");
        assertThatThrownBy(() -> new NamedTensor("w", new int[] {65536, 65536}, new float[0]))
                .hasMessageContaining("needs");
        assertThat(new NamedTensor("w", new int[] {65536, 65536, 0}, new float[0]).shape()).containsExactly(65536, 65536, 0);
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int[] rawBits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
