package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gpt4j.io.SafetensorsBytes.floats;
import static org.gpt4j.io.SafetensorsBytes.shorts;
import static org.gpt4j.io.SafetensorsBytes.write;
import static org.gpt4j.io.SafetensorsBytes.writeRaw;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading safetensors: the header, float conversions, and every way a file can be bad. */
class SafetensorsFileTest {

    @TempDir
    Path dir;

    @Test
    void listsTensorsInHeaderOrderWithShapeDtypeAndMetadata() throws IOException {
        Path f = write(dir.resolve("m.safetensors"), """
                {"__metadata__":{"format":"pt","step":"7"},
                 "z":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},
                 "a":{"dtype":"I64","shape":[1],"data_offsets":[8,16]},
                 "s":{"dtype":"F32","shape":[],"data_offsets":[16,20]}}""", new byte[20]);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertThat(st.names()).containsExactly("z", "a", "s");
            assertThat(st.shape("z")).containsExactly(2, 1);
            assertThat(st.shape("s")).isEmpty();
            assertThat(st.dtype("a")).isEqualTo("I64");
            assertThat(st.metadata()).containsExactly(
                    org.assertj.core.api.Assertions.entry("format", "pt"),
                    org.assertj.core.api.Assertions.entry("step", "7"));
            assertThat(st.file()).isEqualTo(f);
        }
    }

    @Test
    void readsLittleEndianF32EvenWhenTheDataSectionIsUnaligned() throws IOException {
        // A 3-byte header leaves the data at offset 11: readers must not assume alignment.
        String header = "{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
        Path f = write(dir.resolve("f32.safetensors"), header, floats(1.5f, -0.0f, 0x1p-149f));
        assertThat((8 + header.length()) % 4).isNotZero();
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertThat(bits(st.readFloats("t"))).containsExactly(bits(new float[] {1.5f, -0.0f, 0x1p-149f}));
        }
    }

    @Test
    void convertsIeeeHalfIncludingSubnormalsInfinitiesAndNaN() throws IOException {
        int[] half = {0x3C00, 0xC000, 0x3555, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x8000, 0x7C00, 0xFC00, 0x7E00};
        float[] expected = {
            1f, -2f,
            0x1.554p-2f,        // 0.333251953125: (1 + 341/1024) * 2^-2
            65504f,             // the largest half
            0x1p-24f,           // the smallest subnormal
            0x1.ff8p-15f,       // the largest subnormal: 1023 * 2^-24
            0x1p-14f,           // the smallest normal
            -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Path f = write(dir.resolve("f16.safetensors"),
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[11],\"data_offsets\":[0,22]}}", shorts(half));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertThat(st.dtype("h")).isEqualTo("F16");
            assertThat(bits(st.readFloats("h"))).containsExactly(bits(expected));
        }
    }

    @Test
    void widensBfloat16ToTheFloat32WithTheSameTopBits() throws IOException {
        int[] bf16 = {0x3F80, 0xC049, 0x7F7F, 0x0001, 0x8000, 0x7F80, 0xFF80, 0x7FC0};
        float[] expected = {
            1f,
            -3.140625f,          // 0xC0490000
            0x1.fep127f,         // 0x7F7F0000, the largest bf16
            0x1p-133f,           // 0x00010000, a subnormal float32
            -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Path f = write(dir.resolve("bf16.safetensors"),
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2,4],\"data_offsets\":[0,16]}}", shorts(bf16));
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertThat(bits(st.readFloats("b"))).containsExactly(bits(expected));
        }
    }

    @Test
    void acceptsIntegerDtypesInTheHeaderButRefusesToReadThemAsFloats() throws IOException {
        Path f = write(dir.resolve("ids.safetensors"), """
                {"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},
                 "mask":{"dtype":"BOOL","shape":[3],"data_offsets":[16,19]}}""", new byte[19]);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertThat(st.bytes("ids").byteSize()).isEqualTo(16);
            assertThatThrownBy(() -> st.readFloats("ids"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining(f.toString()).hasMessageContaining("'ids'").hasMessageContaining("I64");
        }
    }

    @Test
    void givesTheRawBytesOfATensorWithoutCopying() throws IOException {
        Path f = write(dir.resolve("raw.safetensors"), """
                {"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},
                 "b":{"dtype":"U8","shape":[3],"data_offsets":[2,5]}}""", new byte[] {1, 2, 3, 4, 5});
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertThat(st.bytes("b").toArray(ValueLayout.JAVA_BYTE)).containsExactly(3, 4, 5);
            assertThat(st.bytes("b").isReadOnly()).isTrue();
        }
    }

    @Test
    void namesTheTensorThatIsNotThere() throws IOException {
        Path f = write(dir.resolve("one.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4]);
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            assertThat(st.has("a")).isTrue();
            assertThat(st.has("b")).isFalse();
            assertThatThrownBy(() -> st.readFloats("wpe.weight"))
                    .hasMessageContaining(f.toString()).hasMessageContaining("no tensor named 'wpe.weight'");
            assertThatThrownBy(() -> st.shape("wpe.weight")).hasMessageContaining("'wpe.weight'");
        }
    }

    @Test
    void refusesUseAfterClose() throws IOException {
        Path f = write(dir.resolve("c.safetensors"), "{}", new byte[0]);
        SafetensorsFile st = SafetensorsFile.open(f);
        st.close();
        st.close(); // closing twice is harmless
        assertThatThrownBy(() -> st.shape("a")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    // ---- bad input: each one clear error naming the file and the problem ----

    @Test
    void rejectsAMissingFile() {
        assertProblem(dir.resolve("absent.safetensors"), "not found");
    }

    @Test
    void rejectsAFileShorterThanTheHeaderLength() throws IOException {
        Path f = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 0, 0});
        assertProblem(f, "3 bytes", "shorter than the 8-byte header length");
    }

    @Test
    void rejectsAHeaderLengthBeyondTheEndOfTheFile() throws IOException {
        Path f = writeRaw(dir.resolve("trunc.safetensors"), 1000, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        assertProblem(f, "header length 1000", "past the end of the file (10 bytes");
    }

    @Test
    void rejectsAnAbsurdHeaderLengthReadAsUnsigned() throws IOException {
        Path f = writeRaw(dir.resolve("huge.safetensors"), -1L, new byte[0], new byte[0]);
        assertProblem(f, "header length 18446744073709551615", "exceeds the limit");
        Path g = writeRaw(dir.resolve("big.safetensors"), 200_000_000L, new byte[0], new byte[0]);
        assertProblem(g, "header length 200000000", "exceeds the limit of 100000000 bytes");
    }

    @Test
    void rejectsAHeaderThatIsNotJson() throws IOException {
        assertProblem(write(dir.resolve("bad.safetensors"), "{\"a\": {\"dtype\": ", new byte[0]), "not valid JSON");
        assertProblem(write(dir.resolve("junk.safetensors"), "{} trailing", new byte[0]), "not valid JSON");
        assertProblem(write(dir.resolve("array.safetensors"), "[1, 2]", new byte[0]), "must be a JSON object");
        assertProblem(write(dir.resolve("empty.safetensors"), "", new byte[0]), "JSON object");
    }

    @Test
    void rejectsDuplicateKeys() throws IOException {
        Path f = write(dir.resolve("dup.safetensors"), """
                {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},
                 "a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]);
        assertProblem(f, "not valid JSON", "'a'");
    }

    @Test
    void rejectsAnEntryMissingAField() throws IOException {
        for (String field : new String[] {"dtype", "shape", "data_offsets"}) {
            String entry = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}"
                    .replaceFirst("\"" + field + "\":(\"F32\"|\\[[0-9,]*\\]),?", "").replace(",}", "}");
            Path f = write(dir.resolve("no-" + field + ".safetensors"), "{\"w\":" + entry + "}", new byte[4]);
            assertProblem(f, "tensor 'w' is missing '" + field + "'");
        }
    }

    @Test
    void rejectsAnUnknownDtypeByName() throws IOException {
        Path f = write(dir.resolve("q.safetensors"), "{\"w\":{\"dtype\":\"Q4_K\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4]);
        assertProblem(f, "tensor 'w'", "unknown dtype 'Q4_K'");
    }

    @Test
    void rejectsNegativeAndNonIntegerDimensions() throws IOException {
        assertProblem(write(dir.resolve("neg.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,4],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'w'", "negative dimension -1");
        assertProblem(write(dir.resolve("frac.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'w'", "shape must be an array of integers");
    }

    @Test
    void rejectsOffsetsPastTheEndOfTheData() throws IOException {
        Path f = write(dir.resolve("oob.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                new byte[12]);
        assertProblem(f, "tensor 'w'", "data_offsets [0, 16] out of range", "12 bytes");
    }

    @Test
    void reportsOffsetsBeyondIntRangeAsOutOfRangeNotOverflowed() throws IOException {
        // 5e9 and 2^32 fit no int; read as ints they would wrap to small, plausible offsets.
        Path f = write(dir.resolve("big-offsets.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1250000000],\"data_offsets\":[0,5000000000]}}", new byte[16]);
        assertProblem(f, "tensor 'w'", "data_offsets [0, 5000000000] out of range");
        Path g = write(dir.resolve("wrap.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4294967296,4294967300]}}", new byte[16]);
        assertProblem(g, "tensor 'w'", "[4294967296, 4294967300] out of range");
        Path h = write(dir.resolve("u64.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[18446744073709551612,18446744073709551615]}}",
                new byte[16]);
        assertProblem(h, "tensor 'w'", "out of range");
    }

    @Test
    void rejectsOffsetsWhoseBeginIsAfterTheirEnd() throws IOException {
        Path f = write(dir.resolve("rev.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}",
                new byte[8]);
        assertProblem(f, "tensor 'w'", "[8, 4] begin after end");
    }

    @Test
    void rejectsAByteLengthThatDisagreesWithShapeAndDtype() throws IOException {
        Path f = write(dir.resolve("size.safetensors"), "{\"w\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,24]}}",
                new byte[24]);
        assertProblem(f, "tensor 'w'", "span 24 bytes but shape [2, 3] of F16 needs 12");
    }

    @Test
    void rejectsTensorsWhoseBytesOverlap() throws IOException {
        Path f = write(dir.resolve("overlap.safetensors"), """
                {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
                 "b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]);
        assertProblem(f, "'a' [0, 8)", "'b' [4, 12)", "overlap");
    }

    @Test
    void rejectsMetadataThatIsNotAMapOfStrings() throws IOException {
        Path f = write(dir.resolve("meta.safetensors"), "{\"__metadata__\":{\"epoch\":3}}", new byte[0]);
        assertProblem(f, "__metadata__", "'epoch'", "must be a string");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertProblem(Path file, String... fragments) {
        var a = assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": ");
        for (String fragment : fragments) {
            a.hasMessageContaining(fragment);
        }
        return a;
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
