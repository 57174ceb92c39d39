package org.gpt4j.server.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A request's JSON object and typed access to its fields, each error naming the field as OpenAI
 * does ({@code param}). A field that is absent or {@code null} takes its default; a field of the
 * wrong type is a 400, never coerced ("0.5" is not a number). Unknown fields are ignored, as
 * OpenAI ignores them.
 */
final class RequestBody {

    /** Reads bodies; nesting bounded so a hostile body cannot exhaust the stack. */
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private final ObjectNode json;

    private RequestBody(ObjectNode json) {
        this.json = json;
    }

    /** Parses a body that must be one JSON object. */
    static RequestBody parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest(null, "The request body is empty: send a JSON object (Content-Type: application/json).");
        }
        JsonNode node;
        try {
            node = READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(null, "The request body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest(null, "The request body could not be read as JSON.");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest(null, "The request body must be a JSON object, got "
                    + (node == null ? "nothing" : kind(node)) + ".");
        }
        return new RequestBody((ObjectNode) node);
    }

    /** The field's node, or null when absent or JSON null. */
    JsonNode get(String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String field) {
        return get(field) != null;
    }

    Optional<String> string(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw wrongType(field, "a string", n);
        }
        return Optional.of(n.textValue());
    }

    OptionalInt integer(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return OptionalInt.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw n.isIntegralNumber() ? ApiException.badRequest(field, "'" + field + "' is out of range: " + n)
                    : wrongType(field, "an integer", n);
        }
        return OptionalInt.of(n.intValue());
    }

    OptionalLong longInteger(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return OptionalLong.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw n.isIntegralNumber() ? ApiException.badRequest(field, "'" + field + "' is out of range: " + n)
                    : wrongType(field, "an integer", n);
        }
        return OptionalLong.of(n.longValue());
    }

    OptionalDouble number(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return OptionalDouble.empty();
        }
        if (!n.isNumber()) {
            throw wrongType(field, "a number", n);
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            throw ApiException.badRequest(field, "'" + field + "' must be a finite number, got " + n);
        }
        return OptionalDouble.of(v);
    }

    Optional<Boolean> bool(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw wrongType(field, "a boolean", n);
        }
        return Optional.of(n.booleanValue());
    }

    /** A string or a list of strings ({@code stop}), as a list. */
    List<String> stringOrStrings(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.textValue());
        }
        if (!n.isArray()) {
            throw wrongType(field, "a string or a list of strings", n);
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw wrongType(field, "a string or a list of strings", n);
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** An object field ({@code stream_options}), or null when absent. */
    RequestBody object(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw wrongType(field, "an object", n);
        }
        return new RequestBody((ObjectNode) n);
    }

    static ApiException wrongType(String field, String expected, JsonNode got) {
        return ApiException.badRequest(field, "'" + field + "' must be " + expected + ", got " + kind(got) + ".");
    }

    /** A JSON value's kind, as an error message names it. */
    static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NUMBER -> n.isIntegralNumber() ? "an integer" : "a number";
            case NULL, MISSING -> "null";
            default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
