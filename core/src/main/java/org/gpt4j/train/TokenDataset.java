package org.gpt4j.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A tokenised corpus split as nanoGPT splits it: the first 90% of the ids train, the last 10%
 * validate. Training batches are random contiguous windows whose positions derive only from
 * (seed, step, micro-step), so a resumed run needs nothing but the step to draw the same batches.
 */
public final class TokenDataset {

    public static final double TRAIN_FRACTION = 0.9;

    private final TokenSequence train;
    private final TokenSequence validation;
    private final boolean fromCache;
    private final String key;
    private final List<Path> files;

    private TokenDataset(TokenSequence all, boolean fromCache, String key, List<Path> files) {
        long cut = (long) (all.length() * TRAIN_FRACTION);
        this.train = all.slice(0, cut);
        this.validation = all.slice(cut, all.length());
        this.fromCache = fromCache;
        this.key = key;
        this.files = files.stream().map(f -> f.toAbsolutePath().normalize()).toList();
    }

    /** Splits ids already in memory (tests, and callers with their own storage); its key is "". */
    public static TokenDataset of(TokenSequence all) {
        return new TokenDataset(all, false, "", List.of());
    }

    /**
     * Tokenises the corpus files (concatenated in order) into {@code cacheFile}, or maps that file
     * when it already holds these files tokenised by this tokenizer.
     *
     * @param tokenizerKey bytes that change whenever the tokenizer does (e.g. its saved files)
     */
    public static TokenDataset prepare(List<Path> files, Function<String, int[]> encoder, byte[] tokenizerKey,
            int vocabSize, Path cacheFile) throws IOException {
        return prepare(files, encoder, tokenizerKey, vocabSize, cacheFile, 0, null);
    }

    /**
     * As {@link #prepare(List, Function, byte[], int, Path)}, checking that both splits hold a
     * window of {@code context} tokens ({@link #requireWindows}) before the cache file is written:
     * a corpus too short to train on leaves nothing behind.
     */
    public static TokenDataset prepare(List<Path> files, Function<String, int[]> encoder, byte[] tokenizerKey,
            int vocabSize, Path cacheFile, int context, String corpusName) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("give at least one --data file");
        }
        byte[] key = cacheKey(files, tokenizerKey);
        TokenSequence cached = TokenFile.openIfCurrent(cacheFile, key, vocabSize);
        if (cached != null) {
            return new TokenDataset(cached, true, HexFormat.of().formatHex(key), files);
        }
        List<int[]> parts = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            String text = CorpusText.read(f);
            int[] ids;
            try {
                ids = encoder.apply(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
            }
            parts.add(ids);
            total += ids.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the corpus has " + total + " tokens; more than 2^31 is not supported yet");
        }
        int[] all = new int[(int) total];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        TokenSequence ids = TokenSequence.of(all);
        TokenDataset dataset = new TokenDataset(ids, false, HexFormat.of().formatHex(key), files);
        if (corpusName != null) {
            dataset.requireWindows(context, corpusName);
        }
        TokenFile.write(cacheFile, key, ids);
        return dataset;
    }

    /**
     * The token file {@link #prepare} wrote for the data keyed {@code key}, opened without the
     * corpus: how the replicas of a data-parallel run, perhaps on other machines, read the data
     * the driver tokenised into the run directory.
     *
     * @throws IllegalArgumentException when the file is missing or holds other data
     */
    public static TokenDataset openPrepared(Path cacheFile, String key, int vocabSize, List<Path> files)
            throws IOException {
        TokenSequence ids = TokenFile.openIfCurrent(cacheFile, HexFormat.of().parseHex(key), vocabSize);
        if (ids == null) {
            throw new IllegalArgumentException(cacheFile + ": missing, damaged, or not the token file of this run's data"
                    + " (the run directory must be on a path every worker reads)");
        }
        return new TokenDataset(ids, true, key, files);
    }

    /**
     * The key {@link #prepare} gives these files with this tokenizer, without tokenising them: a
     * resumed run compares it with the one it recorded before touching its token file.
     */
    public static String keyOf(List<Path> files, byte[] tokenizerKey) throws IOException {
        return HexFormat.of().formatHex(cacheKey(files, tokenizerKey));
    }

    /** SHA-256 over the tokenizer key and every file's length and bytes. */
    static byte[] cacheKey(List<Path> files, byte[] tokenizerKey) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update("gpt4j-tokens-v1".getBytes(StandardCharsets.UTF_8));
        sha.update(tokenizerKey);
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
            sha.update(bytes);
        }
        return sha.digest();
    }

    public TokenSequence train() {
        return train;
    }

    public TokenSequence validation() {
        return validation;
    }

    /** True when {@link #prepare} reused the cached token file instead of tokenising. */
    public boolean fromCache() {
        return fromCache;
    }

    /** Hex SHA-256 of corpus + tokenizer: a resumed run checks it is training on the same data. */
    /** The corpus files, absolute, in order (empty for ids given in memory): what a run records as its --data. */
    public List<Path> files() {
        return files;
    }

    public String key() {
        return key;
    }

    public long size() {
        return train.length() + validation.length();
    }

    /**
     * Checks that both splits hold at least one window of {@code context} tokens plus its target.
     *
     * @throws IllegalArgumentException naming the corpus, its size and what it needs
     */
    public void requireWindows(int context, String corpusName) {
        long window = context + 1L;
        long needed = (long) Math.ceil(window / (1 - TRAIN_FRACTION)) + 1;
        if (train.length() < window || validation.length() < window) {
            throw new IllegalArgumentException(corpusName + " is too short: " + size() + " tokens, but --context "
                    + context + " needs at least " + needed + " (the last 10% validates, and each split must hold "
                    + window + " tokens)");
        }
    }

    /** The training batch of an optimiser step's micro-step: B random windows of T tokens. */
    public Batch trainBatch(long seed, long step, int micro, int b, int t) {
        return randomWindows(train, new SplittableRandom(mix(seed, 0x7261696EL, step, micro)), b, t);
    }

    /** {@code count} fixed batches of random windows from the given split (the same for every call). */
    public List<Batch> fixedBatches(TokenSequence split, long seed, int count, int b, int t) {
        SplittableRandom rng = new SplittableRandom(mix(seed, 0x6576616CL, split == train ? 1 : 2, count));
        List<Batch> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(randomWindows(split, rng, b, t));
        }
        return out;
    }

    /**
     * The whole of {@code ids} as consecutive non-overlapping windows of up to T tokens, B per
     * batch (the last batch and window may be shorter): every id after the first is predicted once.
     */
    public static List<Batch> covering(TokenSequence ids, int b, int t) {
        List<Batch> out = new ArrayList<>();
        long predicted = ids.length() - 1;
        long full = predicted / t;
        List<Long> starts = new ArrayList<>();
        for (long w = 0; w < full; w++) {
            starts.add(w * t);
            if (starts.size() == b || w == full - 1) {
                out.add(Batch.windows(ids, starts.stream().mapToLong(Long::longValue).toArray(), t));
                starts.clear();
            }
        }
        int rest = (int) (predicted - full * t);
        if (rest > 0) {
            out.add(Batch.windows(ids, new long[] {full * t}, rest));
        }
        return out;
    }

    private static Batch randomWindows(TokenSequence split, SplittableRandom rng, int b, int t) {
        long[] starts = new long[b];
        for (int i = 0; i < b; i++) {
            starts[i] = rng.nextLong(split.length() - t);
        }
        return Batch.windows(split, starts, t);
    }

    /** Combines seeds with SplitMix64's finaliser, so nearby steps give unrelated streams. */
    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h ^= p;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
            h *= 0x94D049BB133111EBL;
            h ^= h >>> 29;
        }
        return h;
    }
}
