package org.gpt4j.train;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A read-only run of token ids, either in a Java array or memory-mapped from a token file (so a
 * corpus of any size costs no heap). Views share the storage.
 */
public final class TokenSequence {

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int[] array;
    private final MemorySegment segment;
    private final long offset;
    private final long length;

    private TokenSequence(int[] array, MemorySegment segment, long offset, long length) {
        this.array = array;
        this.segment = segment;
        this.offset = offset;
        this.length = length;
    }

    public static TokenSequence of(int... ids) {
        return new TokenSequence(ids.clone(), null, 0, ids.length);
    }

    /** Little-endian int32 ids stored in {@code segment}, {@code length} of them from byte {@code byteOffset}. */
    static TokenSequence mapped(MemorySegment segment, long byteOffset, long length) {
        return new TokenSequence(null, segment.asSlice(byteOffset, length * Integer.BYTES), 0, length);
    }

    public long length() {
        return length;
    }

    public int get(long i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("token " + i + " of " + length);
        }
        long at = offset + i;
        return array != null ? array[(int) at] : segment.getAtIndex(LE_INT, at);
    }

    /** Copies {@code n} ids starting at {@code from} into {@code dst[dstOffset..]}. */
    public void copy(long from, int[] dst, int dstOffset, int n) {
        if (from < 0 || n < 0 || from + n > length) {
            throw new IndexOutOfBoundsException("tokens [" + from + ", " + (from + n) + ") of " + length);
        }
        if (array != null) {
            System.arraycopy(array, (int) (offset + from), dst, dstOffset, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst[dstOffset + i] = segment.getAtIndex(LE_INT, offset + from + i);
            }
        }
    }

    /** The ids in [from, to), sharing storage. */
    public TokenSequence slice(long from, long to) {
        if (from < 0 || to < from || to > length) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + length);
        }
        return new TokenSequence(array, segment, offset + from, to - from);
    }

    /** The largest id (-1 when empty); one pass over the ids. */
    public int maxId() {
        int max = -1;
        int[] buf = new int[8192];
        for (long i = 0; i < length; i += buf.length) {
            int n = (int) Math.min(buf.length, length - i);
            copy(i, buf, 0, n);
            for (int k = 0; k < n; k++) {
                max = Math.max(max, buf[k]);
            }
        }
        return max;
    }

    /** The smallest id (Integer.MAX_VALUE when empty). */
    public int minId() {
        int min = Integer.MAX_VALUE;
        int[] buf = new int[8192];
        for (long i = 0; i < length; i += buf.length) {
            int n = (int) Math.min(buf.length, length - i);
            copy(i, buf, 0, n);
            for (int k = 0; k < n; k++) {
                min = Math.min(min, buf[k]);
            }
        }
        return min;
    }
}
