package org.gpt4j.train;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.gpt4j.io.AtomicFiles;

/**
 * The tokenised corpus cached on disk: a 64-byte header (magic {@code GPT4JTOK}, version, the
 * SHA-256 key of corpus + tokenizer, the id count) then little-endian int32 ids, memory-mapped
 * when read. A file whose key, size or ids do not fit is treated as stale, never trusted.
 */
public final class TokenFile {

    static final int HEADER_BYTES = 64;
    private static final byte[] MAGIC = {'G', 'P', 'T', '4', 'J', 'T', 'O', 'K'};
    private static final int VERSION = 1;
    private static final int KEY_BYTES = 32;

    private TokenFile() {
    }

    /** Writes the ids under {@code key} (32 bytes), atomically. */
    public static void write(Path file, byte[] key, TokenSequence ids) throws IOException {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a token file key is " + KEY_BYTES + " bytes, got " + key.length);
        }
        Path tmp = AtomicFiles.tempBeside(file);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                header.put(MAGIC).putInt(VERSION).putInt(0).put(key).putLong(ids.length()).position(HEADER_BYTES).flip();
                writeFully(ch, header);
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                int[] chunk = new int[buf.capacity() / Integer.BYTES];
                for (long i = 0; i < ids.length(); i += chunk.length) {
                    int n = (int) Math.min(chunk.length, ids.length() - i);
                    ids.copy(i, chunk, 0, n);
                    buf.clear();
                    buf.asIntBuffer().put(chunk, 0, n);
                    buf.limit(n * Integer.BYTES);
                    writeFully(ch, buf);
                }
                ch.force(true);
            } catch (IOException e) {
                throw AtomicFiles.cannotWrite(file, e);
            }
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The ids stored under {@code key}, memory-mapped; null when the file is absent, written for
     * another key, damaged, or holds an id outside {@code [0, vocabSize)} (the caller re-tokenises).
     */
    public static TokenSequence openIfCurrent(Path file, byte[] key, int vocabSize) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long size = Files.size(file);
        if (size < HEADER_BYTES) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // read the whole header
            }
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            int version = header.getInt();
            header.getInt();
            byte[] stored = new byte[KEY_BYTES];
            header.get(stored);
            long count = header.getLong();
            if (!Arrays.equals(magic, MAGIC) || version != VERSION || !Arrays.equals(stored, key)
                    || count < 0 || size != HEADER_BYTES + count * Integer.BYTES) {
                return null;
            }
            MemorySegment segment = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
            TokenSequence ids = TokenSequence.mapped(segment, HEADER_BYTES, count);
            if (count > 0 && (ids.minId() < 0 || ids.maxId() >= vocabSize)) {
                return null;
            }
            return ids;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
