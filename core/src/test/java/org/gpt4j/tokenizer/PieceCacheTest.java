package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The piece cache returns exactly the ids stored for exactly the same characters, or nothing. */
class PieceCacheTest {

    static int[] lookup(PieceCache cache, String piece) {
        char[] s = ("<" + piece + ">").toCharArray();
        IntList out = new IntList(4);
        int to = s.length - 1;
        return cache.appendTo(s, 1, to, PieceCache.hash(s, 1, to), out) ? out.toArray() : null;
    }

    static void store(PieceCache cache, String piece, int... ids) {
        char[] s = piece.toCharArray();
        cache.put(s, 0, s.length, PieceCache.hash(s, 0, s.length), ids);
    }

    @Test
    void returnsTheStoredIdsForTheSameCharactersOnly() {
        PieceCache cache = new PieceCache(8);
        store(cache, " the", 262);
        store(cache, "中", 40792, 4835);
        store(cache, "a", 64);
        store(cache, "😀", 47249, 222);
        assertThat(lookup(cache, " the")).containsExactly(262);
        assertThat(lookup(cache, "中")).containsExactly(40792, 4835);
        assertThat(lookup(cache, "a")).containsExactly(64);
        assertThat(lookup(cache, "😀")).containsExactly(47249, 222);
        // Odd lengths pack a zero beside the last character: "a" and "a\0" must still differ.
        assertThat(lookup(cache, "a\u0000")).isNull();
        assertThat(lookup(cache, " th")).isNull();
        assertThat(lookup(cache, " thE")).isNull();
        assertThat(lookup(cache, "")).isNull();
    }

    @Test
    void collidingPiecesKeepTheirOwnIdsAndAFullNeighbourhoodOverwrites() {
        // A table of 2 slots: every piece collides; the last one stored always wins its slot.
        PieceCache cache = new PieceCache(1);
        for (int i = 0; i < 50; i++) {
            store(cache, "w" + i, i, i + 1);
            assertThat(lookup(cache, "w" + i)).containsExactly(i, i + 1);
            for (int j = 0; j < i; j++) {
                int[] ids = lookup(cache, "w" + j);
                assertThat(ids == null || (ids[0] == j && ids[1] == j + 1)).as("w" + j).isTrue();
            }
        }
    }

    @Test
    void longPiecesAreNotStored() {
        PieceCache cache = new PieceCache(8);
        String exactlyMax = "x".repeat(PieceCache.MAX_PIECE_CHARS);
        store(cache, exactlyMax, 1, 2, 3);
        store(cache, exactlyMax + "x", 4);
        assertThat(lookup(cache, exactlyMax)).containsExactly(1, 2, 3);
        assertThat(lookup(cache, exactlyMax + "x")).isNull();
    }
}
