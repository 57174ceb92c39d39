package org.gpt4j.finetune;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of a task data file: ended by {@code \n}, {@code \r\n} or {@code \r} (as
 * {@link java.io.BufferedReader} ends them), each at most {@code maxBytes} long and strict UTF-8;
 * a byte-order mark at the start is dropped. Lines are split on bytes and decoded one by one
 * (UTF-8 never uses those two bytes inside a character), so invalid UTF-8 is reported on its own
 * line, and a line over the limit is reported while it is read: a file without line breaks is
 * never held whole in memory. Every problem is a {@link TaskDataException} naming the file and line.
 * The reward model's preference files (org.gpt4j.rl) are read through it too.
 */
public final class TextLines implements Closeable {

    private final Path file;
    private final InputStream in;
    private final int maxBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[256];
    private long number;
    private boolean skipLineFeed;

    private TextLines(Path file, InputStream in, int maxBytes) {
        this.file = file;
        this.in = in;
        this.maxBytes = maxBytes;
    }

    public static TextLines open(Path file, int maxBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new TaskDataException(file, 0, Files.exists(file) ? "is not a file" : "no such file");
        }
        try {
            return new TextLines(file, new BufferedInputStream(Files.newInputStream(file), 1 << 16), maxBytes);
        } catch (NoSuchFileException e) {
            throw new TaskDataException(file, 0, "no such file");
        }
    }

    /** The number of the line {@link #next} returned last (1 for the first). */
    public long number() {
        return number;
    }

    /** The next line without its terminator, or null at the end of the file. */
    public String next() throws IOException {
        int n = 0;
        boolean any = false;
        int b;
        while ((b = in.read()) >= 0) {
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') {
                    continue;
                }
            }
            any = true;
            if (b == '\n') {
                break;
            }
            if (b == '\r') {
                skipLineFeed = true;
                break;
            }
            if (n == maxBytes) {
                throw new TaskDataException(file, number + 1, "line longer than " + maxBytes + " bytes");
            }
            if (n == line.length) {
                line = Arrays.copyOf(line, (int) Math.min((long) maxBytes, 2L * n));
            }
            line[n++] = (byte) b;
        }
        if (!any) {
            return null;
        }
        number++;
        String s;
        try {
            s = decoder.decode(ByteBuffer.wrap(line, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new TaskDataException(file, number, "not valid UTF-8");
        }
        return number == 1 && s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
