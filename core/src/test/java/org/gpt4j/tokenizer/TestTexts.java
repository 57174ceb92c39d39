package org.gpt4j.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Reads the test texts under src/test/resources/tokenizer. */
final class TestTexts {

    static final String[] EXCERPTS = {
        "shakespeare-head.txt", "shakespeare-middle.txt", "tang-poems.txt", "song-ci.txt", "mixed.txt"
    };

    private TestTexts() {
    }

    static String read(String name) {
        return readResource("/tokenizer/" + name);
    }

    /** A class-path resource by absolute name, e.g. the built-in GPT-2 files. */
    static String readResource(String absoluteName) {
        try (InputStream in = TestTexts.class.getResourceAsStream(absoluteName)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + absoluteName);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String name) {
        try {
            return Path.of(TestTexts.class.getResource("/tokenizer/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
