package org.gpt4j.server.studio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The query parameters of one request, read with range checks that name the parameter. */
final class Params {

    /** Longest text a request may carry, well past any context window, before encoding starts. */
    static final int MAX_TEXT_CHARS = 100_000;

    private final Map<String, String> values;

    private Params(Map<String, String> values) {
        this.values = values;
    }

    static Params of(Map<String, String> values) {
        return new Params(Map.copyOf(values));
    }

    /** Parses {@code a=1&b=x%20y}; malformed escapes and repeated names are errors. */
    static Params parse(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (out.put(name, value) != null) {
                    throw ApiError.badRequest("parameter '" + name + "' is given more than once");
                }
            }
        }
        return new Params(out);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("malformed query string: " + e.getMessage());
        }
    }

    boolean has(String name) {
        return values.containsKey(name) && !values.get(name).isEmpty();
    }

    String string(String name, String fallback) {
        return has(name) ? values.get(name) : fallback;
    }

    int integer(String name, int fallback, int min, int max) {
        if (!has(name)) {
            return fallback;
        }
        String v = values.get(name).trim();
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw ApiError.badRequest(name + " must be in " + min + ".." + max + ", got " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be an integer in " + min + ".." + max + ", got '" + v + "'");
        }
    }

    double number(String name, double fallback, double min, double max) {
        if (!has(name)) {
            return fallback;
        }
        String v = values.get(name).trim();
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw ApiError.badRequest(name + " must be a number in [" + min + ", " + max + "], got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a number in [" + min + ", " + max + "], got '" + v + "'");
        }
    }

    /** One of the allowed words (case-insensitive), returned lower-case. */
    String choice(String name, String fallback, String... allowed) {
        if (!has(name)) {
            return fallback;
        }
        String v = values.get(name).trim().toLowerCase(java.util.Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw ApiError.badRequest(name + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }
}
