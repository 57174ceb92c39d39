package org.gpt4j.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file, memory-mapped read-only: an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the raw data. The whole header
 * is validated on {@link #open}, so a truncated or hostile file fails there with one message
 * naming the file and the problem. Positions are longs throughout: checkpoints pass 4 GiB.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The Rust safetensors library's limit; real headers are kilobytes. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path file, Arena arena, MemorySegment data, SafetensorsHeader header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.header = header;
    }

    /**
     * Maps and validates a safetensors file.
     *
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    public static SafetensorsFile open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new ModelFormatException(file, "not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "is not a regular file");
        }
        // Shared, not confined: loaders may read tensors from several threads.
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                if (size < Long.BYTES) {
                    throw new ModelFormatException(file, "is " + size
                            + " bytes, shorter than the 8-byte header length of a safetensors file");
                }
                // The mapping outlives the channel; it lasts until the arena closes.
                whole = channel.map(MapMode.READ_ONLY, 0, size, arena);
            }
            long size = whole.byteSize();
            long headerLength = whole.get(U64_LE, 0);
            // A u64 above 2^63 reads as negative here: just as absurd as one above the cap.
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new ModelFormatException(file, "safetensors header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
            }
            if (headerLength > size - Long.BYTES) {
                throw new ModelFormatException(file, "safetensors header length " + headerLength
                        + " runs past the end of the file (" + size + " bytes; is it truncated?)");
            }
            byte[] json = whole.asSlice(Long.BYTES, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = whole.asSlice(Long.BYTES + headerLength);
            SafetensorsHeader header = SafetensorsHeader.parse(file, json, data.byteSize());
            return new SafetensorsFile(file, arena, data, header);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Tensor names in the order the header lists them ({@code __metadata__} excluded). */
    public Set<String> names() {
        return header.entries().keySet();
    }

    public boolean has(String name) {
        return header.entries().containsKey(name);
    }

    /** The header's {@code __metadata__}, empty when absent. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The tensor's shape (a copy); {@code []} for a scalar. */
    public int[] shape(String name) {
        return entry(name).shape().clone();
    }

    /** The tensor's safetensors dtype name, e.g. {@code F32}, {@code BF16}, {@code I64}. */
    public String dtype(String name) {
        return entry(name).dtype().name();
    }

    /**
     * The tensor's raw little-endian bytes, without copying: a slice of the mapping, valid until
     * this file is closed.
     */
    public MemorySegment bytes(String name) {
        SafetensorsHeader.Entry e = entry(name);
        return data.asSlice(e.begin(), e.byteLength()).asReadOnly();
    }

    /**
     * The tensor's values, converted to float: F32 as is, F16 (IEEE half, subnormals and
     * infinities included) and BF16 widened exactly, F64 rounded to nearest.
     *
     * @throws ModelFormatException when the dtype is not a floating-point one, or the tensor has
     *                              more elements than one Java array holds
     */
    public float[] readFloats(String name) throws ModelFormatException {
        SafetensorsHeader.Entry e = entry(name);
        long count = e.elementCount();
        if (count > MAX_ARRAY_LENGTH) {
            throw new ModelFormatException(file, "tensor '" + name + "' has " + count
                    + " elements, too many for one Java array");
        }
        int n = (int) count;
        MemorySegment src = data.asSlice(e.begin(), e.byteLength());
        float[] out = new float[n];
        switch (e.dtype()) {
            case F32 -> MemorySegment.copy(src, F32_LE, 0, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(src.get(I16_LE, 2L * i));
                }
            }
            case BF16 -> {
                // bfloat16 is the top half of a float32, so widening is exact.
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((src.get(I16_LE, 2L * i) & 0xFFFF) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) src.get(F64_LE, 8L * i);
                }
            }
            default -> throw new ModelFormatException(file, "tensor '" + name + "' has dtype " + e.dtype()
                    + ", which cannot be read as floats (expected F32, F16, BF16 or F64)");
        }
        return out;
    }

    /** Unmaps the file; tensors read before stay valid, segments from {@link #bytes} do not. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private SafetensorsHeader.Entry entry(String name) {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException(file + ": already closed");
        }
        SafetensorsHeader.Entry e = header.entries().get(name);
        if (e == null) {
            throw new IllegalArgumentException(file + ": no tensor named '" + name + "' (the file holds "
                    + header.entries().size() + " tensors)");
        }
        return e;
    }
}
