package org.gpt4j.server.studio;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The studio's own files, and nothing else: a fixed list of names mapped to resources of this
 * package. A request names one of them exactly or gets a 404, so no path (.., %2e%2e, \,
 * absolute) can reach another file.
 */
final class StaticAssets {

    /** Name in the URL -> content type. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "studio.css", "text/css; charset=utf-8",
            "i18n.js", "text/javascript; charset=utf-8",
            "draw.js", "text/javascript; charset=utf-8",
            "studio.js", "text/javascript; charset=utf-8",
            "views-model.js", "text/javascript; charset=utf-8",
            "views-attention.js", "text/javascript; charset=utf-8",
            "views-vectors.js", "text/javascript; charset=utf-8",
            "views-runs.js", "text/javascript; charset=utf-8");

    record Asset(String contentType, byte[] bytes) {
    }

    private StaticAssets() {
    }

    /** The asset for a decoded URL path ("/" is index.html), or null. */
    static Asset find(String path) throws IOException {
        String name = path.equals("/") ? "index.html" : path.startsWith("/") ? path.substring(1) : path;
        String type = FILES.get(name);
        if (type == null) {
            return null;
        }
        try (InputStream in = StaticAssets.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IOException("studio asset missing from the jar: " + name);
            }
            return new Asset(type, in.readAllBytes());
        }
    }
}
