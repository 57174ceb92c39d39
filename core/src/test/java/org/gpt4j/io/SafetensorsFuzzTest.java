package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The safetensors reader on random and mutated files: it opens the file and every tensor reads
 * back within the file's bounds, or it fails with one {@link ModelFormatException}. Never another
 * exception, a hang, or an allocation sized by a number the header claims.
 */
class SafetensorsFuzzTest {

    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static byte[] valid;
    private static int headerEnd;

    @BeforeContainer
    static void validFile() throws IOException {
        dir = Files.createTempDirectory("safetensors-fuzz");
        Path file = dir.resolve("valid.safetensors");
        SafetensorsWriter.writeF32(file, List.of(
                new NamedTensor("a", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                new NamedTensor("scalar", new int[] {}, new float[] {7}),
                new NamedTensor("empty", new int[] {0, 4}, new float[0]),
                new NamedTensor("b", new int[] {4}, new float[] {-1, 0.5f, 1e30f, 0})), Map.of("format", "pt"));
        valid = Files.readAllBytes(file);
        headerEnd = 8 + (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // Read it once unbounded: the JSON parser's and the reader's one-time class loading and
        // set-up (megabytes) would otherwise count against whichever try happens to come first.
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : st.names()) {
                st.readFloats(name);
            }
        }
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** Opens the bytes as a file and reads every tensor, under the bounds; a failure must be clean. */
    private static Bounded.Outcome<Object> openAndReadEverything(byte[] bytes) {
        Path file = dir.resolve("fuzz.safetensors");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A tensor's floats take at most 2x its bytes (F16 widened): bounded by the file, never by a claim.
        // Only the parser runs in the bounded region: the checks come after, so that the classes
        // an assertion loads the first time it runs are not counted as the parser's allocation.
        List<long[]> seen = new java.util.ArrayList<>();
        Bounded.Outcome<Object> outcome = Bounded.run(LIMIT, (1 << 20) + 4L * bytes.length, () -> {
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                for (String name : st.names()) {
                    long elements = 1;
                    for (int d : st.shape(name)) {
                        elements *= d;
                    }
                    long read = List.of("F32", "F16", "BF16", "F64").contains(st.dtype(name))
                            ? st.readFloats(name).length : elements;
                    seen.add(new long[] {st.bytes(name).byteSize(), elements, read});
                }
                return null;
            }
        });
        outcome.valueOrClean(ModelFormatException.class);
        for (long[] t : seen) {
            assertThat(t[0]).as("a tensor's bytes").isLessThanOrEqualTo(bytes.length);
            assertThat(t[2]).as("floats read").isEqualTo(t[1]);
        }
        return outcome;
    }

    @Property(tries = 300)
    void arbitraryBytesOpenOrFailCleanly(@ForAll @Size(max = 200) byte[] bytes) {
        openAndReadEverything(bytes);
    }

    @Property(tries = 300)
    void aHeaderLengthOfAnyValueOpensOrFailsCleanly(@ForAll long headerLength, @ForAll @Size(max = 100) byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(rest);
        openAndReadEverything(b.array());
    }

    @Provide
    Arbitrary<byte[]> mutatedFiles() {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, headerEnd - 1),
                Arbitraries.integers().between(0, 255)).as((at, value) -> new int[] {at, value});
        Arbitrary<List<int[]>> edits = edit.list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, valid.length);
        return Combinators.combine(edits, cut, Arbitraries.of(true, false)).as((es, length, truncate) -> {
            byte[] b = Arrays.copyOf(valid, truncate ? length : valid.length);
            for (int[] e : es) {
                if (e[0] < b.length) {
                    b[e[0]] = (byte) e[1];
                }
            }
            return b;
        });
    }

    // A fixed seed: the coverage check (some mutated files still read) must not depend on the draw.
    @Property(tries = 400, seed = "20261202")
    void mutatedValidFilesOpenOrFailCleanly(@ForAll("mutatedFiles") byte[] bytes) {
        openAndReadEverything(bytes).counted();
        Bounded.bothOutcomesSeen();
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<Object> number = Arbitraries.oneOf(
                Arbitraries.longs().between(-3, 40).map(x -> (Object) x),
                Arbitraries.of(Integer.MAX_VALUE, 1L << 31, 1L << 32, Long.MAX_VALUE, -1L, Long.MIN_VALUE,
                        new BigInteger("99999999999999999999999"), 1.5, "7", true).map(x -> (Object) x));
        Arbitrary<ObjectNode> tensor = Combinators.combine(
                Arbitraries.of("F32", "F16", "BF16", "F64", "I64", "U8", "BOOL", "Q4", ""),
                number.list().ofMaxSize(4), number.list().ofMinSize(0).ofMaxSize(3),
                Arbitraries.of(true, false)).as((dtype, shape, offsets, dropField) -> {
                    ObjectNode t = JSON.createObjectNode();
                    t.put("dtype", dtype);
                    ArrayNode s = t.putArray("shape");
                    shape.forEach(v -> s.add(JSON.valueToTree(v)));
                    if (!dropField) {
                        ArrayNode o = t.putArray("data_offsets");
                        offsets.forEach(v -> o.add(JSON.valueToTree(v)));
                    }
                    return t;
                });
        return tensor.list().ofMaxSize(3).map(ts -> {
            ObjectNode root = JSON.createObjectNode();
            for (int i = 0; i < ts.size(); i++) {
                root.set("t" + i, ts.get(i));
            }
            return root.toString();
        });
    }

    @Property(tries = 400)
    void generatedHeadersParseWithinTheirDataOrFailCleanly(@ForAll("headers") String header,
            @ForAll @net.jqwik.api.constraints.IntRange(max = 64) int dataSize) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        SafetensorsHeader parsed = Bounded.run(LIMIT, 1 << 20, () -> SafetensorsHeader.parse(Path.of("h.safetensors"), json, dataSize))
                .counted().valueOrClean(ModelFormatException.class);
        Bounded.bothOutcomesSeen();
        if (parsed != null) {
            List<SafetensorsHeader.Entry> entries = new ArrayList<>(parsed.entries().values());
            for (SafetensorsHeader.Entry e : entries) {
                assertThat(e.begin()).isBetween(0L, e.end());
                assertThat(e.end()).isLessThanOrEqualTo(dataSize);
                assertThat(e.byteLength()).isEqualTo(e.elementCount() * e.dtype().bytes);
            }
        }
        // The same header behind a real length prefix, as a whole file.
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataSize).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        openAndReadEverything(b.array());
    }
}
