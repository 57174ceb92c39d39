package org.gpt4j.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpt4j.tensor.CompactMatrix;

/**
 * Writes float tensors as a safetensors file (F32, or BF16 for a model shipped at half the
 * size) that the Rust/Python library reads back:
 * header keys in the given order, contiguous data offsets, the header padded with spaces to a
 * multiple of 8 bytes (so the data section stays aligned), little-endian values. The file
 * appears atomically: written beside the target, then renamed over it.
 */
public final class SafetensorsWriter {

    /** Values are streamed through a buffer this size, never one array for the whole file. */
    private static final int CHUNK_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} as F32, replacing {@code file} only once the new content is complete.
     *
     * @param metadata the header's {@code __metadata__} (e.g. {@code {"format": "pt"}}); empty or
     *                 null leaves it out
     * @throws IllegalArgumentException for duplicate or reserved names (before touching the disk)
     */
    public static void writeF32(Path file, List<NamedTensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, SafetensorsDtype.F32);
    }

    /**
     * Writes {@code tensors} as BF16 (each value rounded to the nearest bfloat16, ties to even),
     * replacing {@code file} only once the new content is complete.
     */
    public static void writeBf16(Path file, List<NamedTensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, SafetensorsDtype.BF16);
    }

    private static void write(Path file, List<NamedTensor> tensors, Map<String, String> metadata, SafetensorsDtype dtype)
            throws IOException {
        byte[] header = header(tensors, metadata, dtype);
        Path tmp = AtomicFiles.tempBeside(file);
        try {
            writeContent(tmp, file, header, tensors, dtype);
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes the complete file at {@code tmp} without renaming it, for callers that place several
     * files together (a model directory).
     */
    static void writeF32Unplaced(Path tmp, Path shownAs, List<NamedTensor> tensors, Map<String, String> metadata)
            throws IOException {
        writeUnplaced(tmp, shownAs, tensors, metadata, SafetensorsDtype.F32);
    }

    /** As {@link #writeF32Unplaced} in the given dtype (F32 or BF16). */
    static void writeUnplaced(Path tmp, Path shownAs, List<NamedTensor> tensors, Map<String, String> metadata,
            SafetensorsDtype dtype) throws IOException {
        writeContent(tmp, shownAs, header(tensors, metadata, dtype), tensors, dtype);
    }

    /** The header bytes: JSON padded with spaces to a multiple of 8. */
    static byte[] header(List<NamedTensor> tensors, Map<String, String> metadata) {
        return header(tensors, metadata, SafetensorsDtype.F32);
    }

    static byte[] header(List<NamedTensor> tensors, Map<String, String> metadata, SafetensorsDtype dtype) {
        requireFloat(dtype);
        ObjectNode root = MAPPER.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach((k, v) -> m.put(k, v));
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (NamedTensor t : tensors) {
            if (t.name().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("'" + SafetensorsHeader.METADATA_KEY + "' is reserved, not a tensor name");
            }
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' appears twice");
            }
            long end = offset + (long) t.data().length * dtype.bytes;
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void requireFloat(SafetensorsDtype dtype) {
        if (dtype != SafetensorsDtype.F32 && dtype != SafetensorsDtype.BF16) {
            throw new IllegalArgumentException("tensors are written as F32 or BF16, not " + dtype);
        }
    }

    /** Writes the file at {@code path}; a failure names {@code shownAs}, the file the user asked for. */
    private static void writeContent(Path path, Path shownAs, byte[] header, List<NamedTensor> tensors,
            SafetensorsDtype dtype) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length).flip();
            writeFully(ch, buf);
            writeFully(ch, ByteBuffer.wrap(header));
            if (dtype == SafetensorsDtype.BF16) {
                writeBf16(ch, buf, tensors);
            } else {
                writeF32(ch, buf, tensors);
            }
            // On disk before the rename, so a crash cannot leave a renamed but empty file.
            ch.force(true);
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(shownAs, e);
        }
    }

    private static void writeF32(FileChannel ch, ByteBuffer buf, List<NamedTensor> tensors) throws IOException {
        // The view shares buf's memory and takes its byte order now, at creation.
        FloatBuffer floats = buf.clear().asFloatBuffer();
        int chunk = CHUNK_BYTES / Float.BYTES;
        for (NamedTensor t : tensors) {
            float[] data = t.data();
            for (int i = 0; i < data.length; i += chunk) {
                int n = Math.min(chunk, data.length - i);
                floats.clear();
                floats.put(data, i, n);
                buf.clear().limit(n * Float.BYTES);
                writeFully(ch, buf);
            }
        }
    }

    private static void writeBf16(FileChannel ch, ByteBuffer buf, List<NamedTensor> tensors) throws IOException {
        ShortBuffer halves = buf.clear().asShortBuffer();
        int chunk = CHUNK_BYTES / Short.BYTES;
        short[] rounded = new short[chunk];
        for (NamedTensor t : tensors) {
            float[] data = t.data();
            for (int i = 0; i < data.length; i += chunk) {
                int n = Math.min(chunk, data.length - i);
                CompactMatrix.toBf16(data, i, rounded, n);
                halves.clear();
                halves.put(rounded, 0, n);
                buf.clear().limit(n * Short.BYTES);
                writeFully(ch, buf);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
