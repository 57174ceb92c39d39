package org.gpt4j.tokenizer;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-2's byte-level BPE: text is split by {@link Gpt2PreTokenizer}, each piece becomes its UTF-8
 * bytes (one base token per byte), and merge rules in rank order join adjacent tokens. With
 * GPT-2's files it gives the ids of tiktoken's {@code gpt2} / JTokkit's {@code r50k_base}.
 *
 * <p>Speed: a {@link PieceCache} remembers the ids of pieces and of their parts; a piece it lacks
 * is split further where no merge can join its bytes ({@link ByteBoundaries}: between most
 * Chinese characters), so that its parts hit the cache; only parts never seen are merged.
 *
 * <p>Every byte has a base token in a complete vocabulary, so any text encodes. A vocabulary that
 * lacks some bytes (toy vocabularies in tests) encodes such bytes as its unknown token when it
 * names one, and otherwise rejects the text.
 *
 * <p>Text with an unpaired surrogate (not Unicode, so not UTF-8) is rejected with an
 * IllegalArgumentException naming its position.
 */
public final class BpeTokenizer implements Tokenizer {

    private final byte[][] tokenBytes;
    private final int[] mergeLeft;
    private final int[] mergeRight;
    private final int[] mergeResult;
    private final MergeTable mergeTable;
    private final ByteBoundaries boundaries;
    /** Base token of each byte value, or -1 where the vocabulary lacks it. */
    private final int[] byteToken = new int[256];
    private final Map<String, Integer> specialTokens;
    private final int unknownId;
    private final PieceCache cache = new PieceCache(16);

    /**
     * @param tokenBytes   the bytes of every token, by id
     * @param merges       merge rules in rank order, each {left, right, result}; result's bytes
     *                     must be left's followed by right's
     * @param specialTokens special tokens by text; their ids must lie in the vocabulary
     * @param unknownId    the id used for bytes without a base token, or -1 to reject them
     */
    public BpeTokenizer(byte[][] tokenBytes, int[][] merges, Map<String, Integer> specialTokens, int unknownId) {
        int n = tokenBytes.length;
        this.tokenBytes = tokenBytes.clone();
        mergeLeft = new int[merges.length];
        mergeRight = new int[merges.length];
        mergeResult = new int[merges.length];
        for (int r = 0; r < merges.length; r++) {
            int[] m = merges[r];
            for (int id : m) {
                Tokenizer.checkId(id, n);
            }
            byte[] joined = concat(tokenBytes[m[0]], tokenBytes[m[1]]);
            if (!Arrays.equals(joined, tokenBytes[m[2]])) {
                throw new IllegalArgumentException("merge rule " + r + " joins tokens " + m[0] + " and " + m[1]
                        + " but names token " + m[2] + " as the result");
            }
            mergeLeft[r] = m[0];
            mergeRight[r] = m[1];
            mergeResult[r] = m[2];
        }
        mergeTable = new MergeTable(mergeLeft, mergeRight, mergeResult);
        Arrays.fill(byteToken, -1);
        Map<String, Integer> specials = new LinkedHashMap<>(specialTokens);
        for (int id = n - 1; id >= 0; id--) {
            byte[] b = tokenBytes[id];
            // Lowest id wins if a vocabulary spells a byte twice; special tokens never stand for bytes.
            if (b.length == 1 && !specials.containsValue(id)) {
                byteToken[b[0] & 0xFF] = id;
            }
        }
        boundaries = new ByteBoundaries(this.tokenBytes, mergeResult, byteToken);
        specials.values().forEach(id -> Tokenizer.checkId(id, n));
        this.specialTokens = Collections.unmodifiableMap(specials);
        if (unknownId != -1) {
            Tokenizer.checkId(unknownId, n);
        }
        this.unknownId = unknownId;
    }

    @Override
    public int[] encode(String text) {
        char[] s = text.toCharArray();
        IntList out = new IntList(s.length / 3 + 16);
        Scratch scratch = new Scratch();
        int i = 0;
        while (i < s.length) {
            int end = Gpt2PreTokenizer.pieceEnd(s, i, s.length);
            int hash = PieceCache.hash(s, i, end);
            if (!cache.appendTo(s, i, end, hash, out)) {
                encodeParts(s, i, end, hash, out, scratch);
            }
            i = end;
        }
        return out.toArray();
    }

    /**
     * A piece the cache lacks, part by part ({@link ByteBoundaries}): each part through the cache,
     * so that a run of Chinese characters reuses its characters' ids. A piece of one part is cached
     * whole, as before; a piece of several is not, so that unique phrases do not push out the parts.
     */
    private void encodeParts(char[] s, int from, int to, int pieceHash, IntList out, Scratch scratch) {
        int end = boundaries.partEnd(s, from, to);
        if (end == to) {
            int[] ids = encodePart(s, from, to, scratch);
            cache.put(s, from, to, pieceHash, ids);
            out.addAll(ids);
            return;
        }
        for (int i = from; i < to; i = end) {
            if (i > from) {
                end = boundaries.partEnd(s, i, to);
            }
            int hash = PieceCache.hash(s, i, end);
            if (!cache.appendTo(s, i, end, hash, out)) {
                int[] ids = encodePart(s, i, end, scratch);
                cache.put(s, i, end, hash, ids);
                out.addAll(ids);
            }
        }
    }

    /** Merges the bytes of {@code s[from..to)}: UTF-8, one base token per byte, then BPE. */
    private int[] encodePart(char[] s, int from, int to, Scratch scratch) {
        byte[] utf8 = scratch.utf8(3 * (to - from));
        int n = Utf8.encode(s, from, to, utf8);
        int[] sym = scratch.symbols(n);
        for (int i = 0; i < n; i++) {
            int id = byteToken[utf8[i] & 0xFF];
            if (id < 0) {
                if (unknownId < 0) {
                    throw new IllegalArgumentException("byte 0x" + Utf8.hex(utf8, i, i + 1)
                            + " of '" + new String(s, from, to - from) + "' has no token in this vocabulary");
                }
                id = unknownId;
            }
            sym[i] = id;
        }
        int len = BpeMerge.merge(mergeTable, sym, n, scratch.pairs);
        return Arrays.copyOf(sym, len);
    }

    /** Buffers one encode call reuses for every part, so that a cache miss allocates only its result. */
    private static final class Scratch {
        private byte[] utf8 = new byte[96];
        private int[] symbols = new int[96];
        final long[] pairs = new long[BpeMerge.SMALL];

        byte[] utf8(int capacity) {
            if (utf8.length < capacity) {
                utf8 = new byte[capacity];
            }
            return utf8;
        }

        int[] symbols(int capacity) {
            if (symbols.length < capacity) {
                symbols = new int[capacity];
            }
            return symbols;
        }
    }

    @Override
    public int vocabSize() {
        return tokenBytes.length;
    }

    @Override
    public byte[] tokenBytes(int id) {
        Tokenizer.checkId(id, tokenBytes.length);
        return tokenBytes[id].clone();
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        int total = 0;
        for (int id : ids) {
            Tokenizer.checkId(id, tokenBytes.length);
            total += tokenBytes[id].length;
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (int id : ids) {
            byte[] b = tokenBytes[id];
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
        }
        return out;
    }

    @Override
    public String tokenText(int id) {
        Tokenizer.checkId(id, tokenBytes.length);
        return Utf8.displayText(tokenBytes[id]);
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    /** The id used for bytes the vocabulary lacks, or -1. */
    public int unknownId() {
        return unknownId;
    }

    /** Number of merge rules. */
    public int mergeCount() {
        return mergeLeft.length;
    }

    /** Merge rule {@code rank} as {left, right, result}. */
    public int[] merge(int rank) {
        return new int[] {mergeLeft[rank], mergeRight[rank], mergeResult[rank]};
    }

    @Override
    public String toString() {
        return "byte-level BPE, " + tokenBytes.length + " tokens, " + mergeLeft.length + " merges";
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
