package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenising once into a cached, memory-mapped file; nanoGPT's split; seeded windows; bad corpora. */
class TokenDatasetTest {

    @TempDir
    Path tmp;

    /** A byte-level "tokenizer" that counts how often it runs. */
    final AtomicInteger encodes = new AtomicInteger();
    final Function<String, int[]> bytes = s -> {
        encodes.incrementAndGet();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            ids[i] = b[i] & 0xFF;
        }
        return ids;
    };

    Path corpus(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void splitsNinetyTenAndWindowsAreContiguousWithShiftedTargets() {
        int[] ids = new int[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        TokenDataset d = TokenDataset.of(TokenSequence.of(ids));
        assertThat(d.train().length()).isEqualTo(900);
        assertThat(d.validation().get(0)).isEqualTo(900);
        Batch b = d.trainBatch(5, 17, 1, 4, 8);
        assertThat(b.batch()).isEqualTo(4);
        for (int row = 0; row < 4; row++) {
            int first = b.tokens()[row * 8];
            assertThat(first + 8).isLessThan(900);
            for (int t = 0; t < 8; t++) {
                assertThat(b.tokens()[row * 8 + t]).isEqualTo(first + t);
                assertThat(b.targets()[row * 8 + t]).isEqualTo(first + t + 1);
            }
        }
        assertThat(d.trainBatch(5, 17, 1, 4, 8).tokens()).containsExactly(b.tokens());
        assertThat(d.trainBatch(5, 18, 1, 4, 8).tokens()).isNotEqualTo(b.tokens());
        assertThat(d.trainBatch(5, 17, 0, 4, 8).tokens()).isNotEqualTo(b.tokens());
    }

    @Test
    void coveringPredictsEveryTokenOnce() {
        int[] ids = new int[30];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        List<Batch> batches = TokenDataset.covering(TokenSequence.of(ids), 2, 8);
        List<Integer> targets = batches.stream().flatMapToInt(b -> java.util.Arrays.stream(b.targets())).boxed().toList();
        assertThat(targets).containsExactlyElementsOf(java.util.stream.IntStream.range(1, 30).boxed().toList());
        assertThat(batches.getLast().length()).isEqualTo(5);
    }

    @Test
    void tokenisesOnceAndReusesTheCacheUntilCorpusOrTokenizerChange() throws IOException {
        Path text = corpus("a.txt", "hello world, ".repeat(50));
        Path cache = tmp.resolve("run/tokens.bin");
        TokenDataset first = TokenDataset.prepare(List.of(text), bytes, new byte[] {1}, 256, cache);
        assertThat(first.fromCache()).isFalse();
        assertThat(first.size()).isEqualTo(650);
        TokenDataset again = TokenDataset.prepare(List.of(text), bytes, new byte[] {1}, 256, cache);
        assertThat(again.fromCache()).isTrue();
        assertThat(encodes).hasValue(1);
        assertThat(again.validation().get(0)).isEqualTo(first.validation().get(0));
        assertThat(again.train().maxId()).isEqualTo(first.train().maxId());

        assertThat(TokenDataset.prepare(List.of(text), bytes, new byte[] {2}, 256, cache).fromCache()).isFalse();
        Files.writeString(text, "HELLO world, ".repeat(50));
        assertThat(TokenDataset.prepare(List.of(text), bytes, new byte[] {2}, 256, cache).fromCache()).isFalse();
        // A damaged cache is rebuilt, never trusted.
        byte[] all = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(all, all.length - 3));
        TokenDataset rebuilt = TokenDataset.prepare(List.of(text), bytes, new byte[] {2}, 256, cache);
        assertThat(rebuilt.fromCache()).isFalse();
        assertThat(rebuilt.size()).isEqualTo(650);
        // Ids beyond the vocabulary (a cache from another tokenizer under the same key) are rebuilt too.
        assertThat(TokenDataset.prepare(List.of(text), bytes, new byte[] {2}, 100, cache).fromCache()).isFalse();
    }

    @Test
    void concatenatesSeveralFilesInOrder() throws IOException {
        Path a = corpus("a.txt", "ab");
        Path b = corpus("b.txt", "cd");
        TokenDataset d = TokenDataset.prepare(List.of(a, b), bytes, new byte[0], 256, tmp.resolve("t.bin"));
        assertThat(d.size()).isEqualTo(4);
        assertThat(d.validation().get(0)).isEqualTo('d');
    }

    @Test
    void anEmptyCorpusIsAnErrorNamingTheFile() throws IOException {
        Path empty = corpus("empty.txt", "");
        assertThatThrownBy(() -> TokenDataset.prepare(List.of(empty), bytes, new byte[0], 256, tmp.resolve("t.bin")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.txt").hasMessageContaining("empty");
    }

    @Test
    void aCorpusShorterThanTheContextIsAnError() throws IOException {
        Path small = corpus("small.txt", "just a few words");
        TokenDataset d = TokenDataset.prepare(List.of(small), bytes, new byte[0], 256, tmp.resolve("t.bin"));
        assertThatThrownBy(() -> d.requireWindows(64, "small.txt"))
                .hasMessageContaining("small.txt is too short: 16 tokens").hasMessageContaining("--context 64")
                .hasMessageContaining("at least 652");
    }

    @Test
    void aFileThatIsNotUtf8IsAnErrorNamingTheOffset() throws IOException {
        Path latin1 = tmp.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> TokenDataset.prepare(List.of(latin1), bytes, new byte[0], 256, tmp.resolve("t.bin")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latin1.txt is not UTF-8").hasMessageContaining("0xE9 at offset 3");
    }
}
