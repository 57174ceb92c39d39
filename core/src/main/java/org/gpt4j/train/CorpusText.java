package org.gpt4j.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a training corpus as strict UTF-8: a byte sequence that is not UTF-8 is an error naming
 * the file and the offset, never silently replaced (a Latin-1 file would otherwise train a model
 * on U+FFFD characters).
 */
public final class CorpusText {

    /** A Java String holds at most about 2^31 chars; larger corpora need streaming, not supported yet. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private CorpusText() {
    }

    /**
     * The file's text (a leading byte-order mark removed).
     *
     * @throws IllegalArgumentException naming the file: missing, a directory, empty, too large, or not UTF-8
     */
    public static String read(Path file) throws IOException {
        return read(file, "train on");
    }

    /**
     * As {@link #read(Path)}, for a text read to {@code purpose} ("evaluate on"), which the
     * message for an empty file names.
     */
    public static String read(Path file, String purpose) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a text file");
        }
        long size = Files.size(file);
        if (size == 0) {
            throw new IllegalArgumentException(file + " is empty: there is nothing to " + purpose);
        }
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException(file + " is " + size + " bytes; corpora over 2 GB are not supported yet"
                    + " (split it into several --data files)");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = decode(file, bytes);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String decode(Path file, byte[] bytes) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isUnderflow()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is not UTF-8 text: invalid byte 0x%02X at offset %d (convert it, e.g. iconv -f latin1 -t utf-8)",
                    file, bytes[at] & 0xFF, at));
        }
        if (!r.isUnderflow()) {
            r.throwException();
        }
        return out.flip().toString();
    }
}
