package org.gpt4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds safetensors files byte by byte and reads them back without {@link SafetensorsFile},
 * so tests can state the format independently of the code under test.
 */
final class SafetensorsBytes {

    private SafetensorsBytes() {
    }

    /** Writes [u64 LE header length][header JSON][data] to {@code file}. */
    static Path write(Path file, String headerJson, byte[] data) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return writeRaw(file, header.length, header, data);
    }

    /** Like {@link #write} but with any header length, true or not. */
    static Path writeRaw(Path file, long headerLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header).put(data);
        Files.write(file, b.array());
        return file;
    }

    /** Little-endian bytes of 16-bit values (F16, BF16 bit patterns). */
    static byte[] shorts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** The header JSON of a file, parsed by hand. */
    static JsonNode header(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        return new ObjectMapper().readTree(new String(b.array(), 8, n, StandardCharsets.UTF_8));
    }

    /** An F32 tensor's values, located and decoded by hand. */
    static float[] readF32(Path file, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = b.getLong(0);
        JsonNode entry = header(file).get(name);
        if (entry == null || !entry.get("dtype").asText().equals("F32")) {
            throw new IllegalArgumentException("no F32 tensor " + name + " in " + file);
        }
        int begin = (int) (8 + headerLength + entry.get("data_offsets").get(0).asLong());
        int end = (int) (8 + headerLength + entry.get("data_offsets").get(1).asLong());
        float[] out = new float[(end - begin) / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat(begin + 4 * i);
        }
        return out;
    }
}
