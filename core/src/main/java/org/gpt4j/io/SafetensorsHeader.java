package org.gpt4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, parsed and checked against the size of the data
 * section it describes. Every check a hostile or truncated file could fail is made here, once,
 * so that reading a tensor afterwards can trust its offsets.
 */
record SafetensorsHeader(Map<String, Entry> entries, Map<String, String> metadata) {

    static final String METADATA_KEY = "__metadata__";

    /** Duplicate keys would make the "same" file mean different things to different readers. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * One tensor: where its bytes lie in the data section, {@code [begin, end)}. Offsets are
     * longs because a checkpoint's data section is routinely larger than 2 GiB.
     */
    record Entry(String name, SafetensorsDtype dtype, int[] shape, long begin, long end) {

        long elementCount() {
            long n = 1;
            for (int d : shape) {
                n *= d; // cannot overflow: parse() checked the product with multiplyExact
            }
            return n;
        }

        long byteLength() {
            return end - begin;
        }
    }

    /**
     * Parses and validates the header bytes.
     *
     * @param file     named in every error
     * @param json     the header bytes (JSON, possibly padded with trailing spaces)
     * @param dataSize bytes in the data section that follows the header
     */
    static SafetensorsHeader parse(Path file, byte[] json, long dataSize) throws ModelFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "safetensors header is not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "safetensors header cannot be read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "safetensors header must be a JSON object");
        }
        Map<String, String> metadata = Map.of();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                entries.put(field.getKey(), parseEntry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        checkNoOverlap(file, entries.values());
        return new SafetensorsHeader(Collections.unmodifiableMap(entries), metadata);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) throws ModelFormatException {
        if (!node.isObject()) {
            throw new ModelFormatException(file, "'" + METADATA_KEY + "' must be an object of strings, got " + brief(node));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) {
                throw new ModelFormatException(file, "'" + METADATA_KEY + "' value of '" + m.getKey()
                        + "' must be a string, got " + brief(m.getValue()));
            }
            metadata.put(m.getKey(), m.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataSize) throws ModelFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new ModelFormatException(file, where + " must be an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = required(file, where, node, "dtype");
        if (!dtypeNode.isTextual()) {
            throw new ModelFormatException(file, where + ": dtype must be a string, got " + brief(dtypeNode));
        }
        SafetensorsDtype dtype = SafetensorsDtype.parse(dtypeNode.textValue());
        if (dtype == null) {
            throw new ModelFormatException(file, where + ": unknown dtype '" + dtypeNode.textValue() + "' (known: "
                    + Arrays.toString(SafetensorsDtype.values()) + ")");
        }
        int[] shape = parseShape(file, where, required(file, where, node, "shape"));
        long[] offsets = parseOffsets(file, where, required(file, where, node, "data_offsets"));
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new ModelFormatException(file, where + ": data_offsets [" + begin + ", " + end + "] begin after end");
        }
        if (end > dataSize) {
            throw new ModelFormatException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] out of range of the data section (" + dataSize + " bytes; is the file truncated?)");
        }
        long expected = byteLength(file, where, shape, dtype);
        if (end - begin != expected) {
            throw new ModelFormatException(file, where + ": data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static JsonNode required(Path file, String where, JsonNode node, String field) throws ModelFormatException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ModelFormatException(file, where + " is missing '" + field + "'");
        }
        return v;
    }

    private static int[] parseShape(Path file, String where, JsonNode node) throws ModelFormatException {
        if (!node.isArray()) {
            throw new ModelFormatException(file, where + ": shape must be an array of integers, got " + brief(node));
        }
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber()) {
                throw new ModelFormatException(file, where + ": shape must be an array of integers, got " + brief(node));
            }
            if (d.bigIntegerValue().signum() < 0) {
                throw new ModelFormatException(file, where + ": negative dimension " + d + " in shape " + node);
            }
            if (!d.canConvertToInt()) {
                throw new ModelFormatException(file, where + ": dimension " + d + " in shape " + node + " is too large");
            }
            shape[i] = d.intValue();
        }
        return shape;
    }

    private static long[] parseOffsets(Path file, String where, JsonNode node) throws ModelFormatException {
        String problem = where + ": data_offsets must be two non-negative integers [begin, end], got " + brief(node);
        if (!node.isArray() || node.size() != 2) {
            throw new ModelFormatException(file, problem);
        }
        long[] offsets = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = node.get(i);
            if (!o.isIntegralNumber() || o.bigIntegerValue().signum() < 0) {
                throw new ModelFormatException(file, problem);
            }
            if (!o.canConvertToLong()) {
                // Beyond 2^63 - 1: no file is that large, so it cannot lie inside this one.
                throw new ModelFormatException(file, where + ": data_offsets " + node + " out of range of the data section");
            }
            offsets[i] = o.longValue();
        }
        return offsets;
    }

    private static long byteLength(Path file, String where, int[] shape, SafetensorsDtype dtype)
            throws ModelFormatException {
        try {
            long n = dtype.bytes;
            for (int d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException e) {
            throw new ModelFormatException(file, where + ": shape " + Arrays.toString(shape) + " is too large");
        }
    }

    private static void checkNoOverlap(Path file, Iterable<Entry> entries) throws ModelFormatException {
        List<Entry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.byteLength() == 0) {
                continue; // an empty tensor occupies no bytes, so it overlaps nothing
            }
            if (previous != null && e.begin() < previous.end()) {
                throw new ModelFormatException(file, "tensors '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ") and '" + e.name() + "' [" + e.begin() + ", " + e.end()
                        + ") overlap in the data section");
            }
            previous = e;
        }
    }

    /** A JSON value for an error message, cut short so a hostile header cannot flood the terminal. */
    private static String brief(JsonNode node) {
        String s = node.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
