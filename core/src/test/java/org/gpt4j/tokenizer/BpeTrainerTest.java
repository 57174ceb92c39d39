package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BPE training: a merge sequence worked out by hand, agreement with a naive trainer, files that load back. */
class BpeTrainerTest {

    static BpeTokenizer train(int vocabSize, String... texts) {
        BpeTrainer trainer = new BpeTrainer();
        for (String t : texts) {
            trainer.addText(t);
        }
        return trainer.train(vocabSize, null);
    }

    static List<String> learnt(BpeTokenizer t) {
        List<String> tokens = new ArrayList<>();
        for (int id = 256; id < t.vocabSize() - 1; id++) {
            tokens.add(t.tokenText(id));
        }
        return tokens;
    }

    /**
     * Pieces: "hug" x1, " hug" x2, " pug", " pun", " bun", " hugs". Pair counts: (u,g) 5, (h,u) 4,
     * (Ġ,h) 3, ... so "ug" first; then (h,ug) 4, then (Ġ,hug) 3; then (u,n) and (Ġ,p) tie at 2 and
     * (u,n) wins because u (id 84) < Ġ (id 220); then (Ġ,p); then six pairs of count 1, taken in
     * order of (left id, right id): (b,un) with b = 65, the new (Ġ,bun) with Ġ = 220, (Ġhug,s)
     * with Ġhug = 258, (Ġp,ug) and (Ġp,un) with Ġp = 260.
     */
    @Test
    void learnsTheMergeSequenceWorkedOutByHand() {
        BpeTokenizer t = train(300, "hug hug hug pug pun bun hugs");
        assertThat(learnt(t)).containsExactly("ug", "hug", " hug", "un", " p", "bun", " bun", " hugs", " pug", " pun");
        assertThat(t.vocabSize()).isEqualTo(256 + 10 + 1);
        assertThat(t.endOfTextId()).hasValue(266);
        assertThat(t.encode(" hugs hug")).containsExactly(263, 258);
        assertThat(t.tokenBytes(220)).containsExactly((byte) ' ');
    }

    @Test
    void stopsAtTheRequestedVocabularySizeIncludingEndOfText() {
        BpeTokenizer t = train(257 + 3, "hug hug hug pug pun bun hugs");
        assertThat(learnt(t)).containsExactly("ug", "hug", " hug");
        assertThat(t.vocabSize()).isEqualTo(260);
    }

    @Test
    void neverGivesTwoIdsTheSameBytes() {
        BpeTokenizer t = train(1500, TestTexts.read("song-ci.txt"), TestTexts.read("shakespeare-head.txt"),
                TestTexts.read("mixed.txt"), "aaaaaaa aaaa aaa aa a abababab bcbcbc abc");
        Map<String, Integer> seen = new HashMap<>();
        for (int id = 0; id < t.vocabSize(); id++) {
            String key = new String(t.tokenBytes(id), StandardCharsets.ISO_8859_1);
            assertThat(seen.put(key, id)).as("token %d has the bytes of an earlier one", id).isNull();
        }
    }

    @Test
    void isDeterministic() {
        String text = TestTexts.read("tang-poems.txt") + TestTexts.read("shakespeare-head.txt");
        BpeTokenizer a = train(600, text);
        BpeTokenizer b = train(600, text);
        for (int r = 0; r < a.mergeCount(); r++) {
            assertThat(a.merge(r)).containsExactly(b.merge(r));
        }
        assertThat(a.encode(text)).containsExactly(b.encode(text));
    }

    @Test
    void chineseCharactersBecomeSingleTokensAndRoundTrip() {
        String poems = TestTexts.read("tang-poems.txt") + TestTexts.read("song-ci.txt");
        BpeTokenizer t = train(1000, poems);
        int[] ids = t.encode(poems);
        assertThat(t.decode(ids)).isEqualTo(poems);
        int[] gpt2 = Tokenizers.gpt2().encode(poems);
        assertThat(ids.length).isLessThan(gpt2.length * 2 / 3);
        assertThat(t.encode("，")).hasSize(1);
    }

    @Test
    void savedFilesLoadBackAndEncodeTheSame(@TempDir Path dir) throws Exception {
        String text = TestTexts.read("mixed.txt") + TestTexts.read("song-ci.txt");
        BpeTokenizer t = train(700, text);
        Tokenizers.save(t, dir);
        assertThat(Files.readString(dir.resolve("merges.txt"))).startsWith("#version: 0.2\n");
        Tokenizer back = Tokenizers.load(dir);
        assertThat(back.vocabSize()).isEqualTo(t.vocabSize());
        assertThat(back.endOfTextId()).isEqualTo(t.endOfTextId());
        assertThat(back.encode(text)).containsExactly(t.encode(text));
        for (int id = 0; id < t.vocabSize(); id++) {
            assertThat(back.tokenBytes(id)).containsExactly(t.tokenBytes(id));
        }
    }

    @Test
    void rejectsVocabularySizesOutsideItsRange() {
        assertThatThrownBy(() -> train(256, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 257");
        assertThatThrownBy(() -> train(70_000, "x")).hasMessageContaining("65536");
    }

    @Property(tries = 200)
    void agreesWithANaiveTrainer(@ForAll("smallCorpus") String corpus) {
        BpeTokenizer fast = train(257 + 30, corpus);
        List<int[]> naive = NaiveTrainer.merges(corpus, 30);
        assertThat(fast.mergeCount()).isEqualTo(naive.size());
        for (int r = 0; r < naive.size(); r++) {
            assertThat(fast.merge(r)).as("merge " + r).containsExactly(naive.get(r));
        }
    }

    @Provide
    static Arbitrary<String> smallCorpus() {
        return Arbitraries.strings().withChars("aaabbbc d'sé中").ofMaxLength(60);
    }

    /** Recounts every pair from scratch at each step: slow, obviously right. */
    static final class NaiveTrainer {
        static List<int[]> merges(String corpus, int maxNewTokens) {
            BpeTrainer base = new BpeTrainer();
            base.addText("");
            BpeTokenizer bytesOnly = base.train(257, null);
            Map<String, Integer> idOf = new HashMap<>();
            List<byte[]> tokens = new ArrayList<>();
            for (int id = 0; id < 256; id++) {
                tokens.add(bytesOnly.tokenBytes(id));
                idOf.put(new String(bytesOnly.tokenBytes(id), StandardCharsets.ISO_8859_1), id);
            }
            Map<String, Integer> counts = new HashMap<>();
            char[] s = corpus.toCharArray();
            for (int i = 0; i < s.length; ) {
                int end = Gpt2PreTokenizer.pieceEnd(s, i, s.length);
                counts.merge(new String(s, i, end - i), 1, Integer::sum);
                i = end;
            }
            List<int[]> words = new ArrayList<>();
            List<Integer> freq = new ArrayList<>();
            counts.forEach((w, c) -> {
                byte[] b = w.getBytes(StandardCharsets.UTF_8);
                int[] ids = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    ids[i] = idOf.get(new String(new byte[] {b[i]}, StandardCharsets.ISO_8859_1));
                }
                words.add(ids);
                freq.add(c);
            });
            List<int[]> merges = new ArrayList<>();
            while (tokens.size() < 256 + maxNewTokens) {
                Map<Long, Integer> pairCounts = new HashMap<>();
                for (int w = 0; w < words.size(); w++) {
                    int[] ids = words.get(w);
                    for (int i = 0; i + 1 < ids.length; i++) {
                        pairCounts.merge(((long) ids[i] << 32) | ids[i + 1], freq.get(w), Integer::sum);
                    }
                }
                long best = -1;
                int bestCount = 0;
                for (var e : pairCounts.entrySet()) {
                    if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
                        best = e.getKey();
                        bestCount = e.getValue();
                    }
                }
                if (best < 0) {
                    break;
                }
                int a = (int) (best >>> 32);
                int b = (int) best;
                byte[] joined = BpeTokenizer.concat(tokens.get(a), tokens.get(b));
                String key = new String(joined, StandardCharsets.ISO_8859_1);
                Integer z = idOf.get(key);
                if (z == null) {
                    z = tokens.size();
                    tokens.add(joined);
                    idOf.put(key, z);
                }
                merges.add(new int[] {a, b, z});
                for (int w = 0; w < words.size(); w++) {
                    int[] ids = words.get(w);
                    int[] out = new int[ids.length];
                    int n = 0;
                    for (int i = 0; i < ids.length; ) {
                        if (i + 1 < ids.length && ids[i] == a && ids[i + 1] == b) {
                            out[n++] = z;
                            i += 2;
                        } else {
                            out[n++] = ids[i++];
                        }
                    }
                    words.set(w, Arrays.copyOf(out, n));
                }
            }
            return merges;
        }
    }
}
