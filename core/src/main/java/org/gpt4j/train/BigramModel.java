package org.gpt4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.io.SafetensorsWriter;

/**
 * The counting baseline: P(next | current) from how often each pair of ids follows in the
 * training text, with add-one (Laplace) smoothing so an unseen pair still has probability
 * 1 / (count(current) + V). No context beyond one token: the gap to a GPT's loss is what attention
 * buys. Saved as {@code config.json} ({@code "model_type": "gpt4j-bigram"}) and
 * {@code bigram.safetensors} (the observed pairs as three F32 vectors: first, second, count).
 */
public final class BigramModel {

    public static final String MODEL_TYPE = "gpt4j-bigram";
    public static final String COUNTS = "bigram.safetensors";
    /** Counts are stored as float32, which holds every integer up to 2^24 exactly. */
    static final long MAX_COUNT = 1L << 24;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int vocabSize;
    private final Map<Long, Integer> pairs;
    /** Row sums of the counts, only for the ids that occur: a saved vocab_size sizes nothing. */
    private final Map<Integer, Long> rowTotals = new HashMap<>();

    private BigramModel(int vocabSize, Map<Long, Integer> pairs) {
        this.vocabSize = vocabSize;
        this.pairs = pairs;
        pairs.forEach((k, c) -> rowTotals.merge((int) (k / vocabSize), (long) c, Long::sum));
    }

    /** Counts every adjacent pair of {@code ids}. */
    public static BigramModel count(TokenSequence ids, int vocabSize) {
        Map<Long, Integer> pairs = new HashMap<>();
        for (long i = 0; i + 1 < ids.length(); i++) {
            pairs.merge(key(ids.get(i), ids.get(i + 1), vocabSize), 1, Integer::sum);
        }
        return new BigramModel(vocabSize, pairs);
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** ln P(next | current), add-one smoothed. */
    public double logProbability(int current, int next) {
        int c = pairs.getOrDefault(key(current, next, vocabSize), 0);
        return StrictMath.log((c + 1.0) / (rowTotals.getOrDefault(current, 0L) + vocabSize));
    }

    /** Mean next-token cross-entropy (nats) over every adjacent pair of {@code ids}. */
    public double meanLoss(TokenSequence ids) {
        if (ids.length() < 2) {
            throw new IllegalArgumentException("nothing to evaluate: the text holds fewer than 2 tokens");
        }
        double sum = 0;
        for (long i = 0; i + 1 < ids.length(); i++) {
            int a = ids.get(i);
            int b = ids.get(i + 1);
            if (a < 0 || a >= vocabSize || b < 0 || b >= vocabSize) {
                throw new IllegalArgumentException("token id " + (a < 0 || a >= vocabSize ? a : b)
                        + " is outside the bigram model's vocabulary (" + vocabSize + ")");
            }
            sum -= logProbability(a, b);
        }
        return sum / (ids.length() - 1);
    }

    /** True when {@code dir}'s config.json names this model type. */
    public static boolean isIn(Path dir) {
        Path config = dir.resolve("config.json");
        try {
            return Files.isRegularFile(config) && Files.size(config) < (1 << 20)
                    && MODEL_TYPE.equals(MAPPER.readTree(config.toFile()).path("model_type").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes config.json and bigram.safetensors into {@code dir}, each atomically. */
    public void save(Path dir) throws IOException {
        int n = pairs.size();
        float[] first = new float[n];
        float[] second = new float[n];
        float[] counts = new float[n];
        int i = 0;
        for (Map.Entry<Long, Integer> e : pairs.entrySet()) {
            if (e.getValue() > MAX_COUNT) {
                throw new IllegalStateException("a pair occurs " + e.getValue() + " times; counts above 2^24 are not"
                        + " supported by the bigram format");
            }
            first[i] = (float) (e.getKey() / vocabSize);
            second[i] = (float) (e.getKey() % vocabSize);
            counts[i] = e.getValue();
            i++;
        }
        Files.createDirectories(dir);
        SafetensorsWriter.writeF32(dir.resolve(COUNTS), List.of(new NamedTensor("first", new int[] {n}, first),
                new NamedTensor("second", new int[] {n}, second), new NamedTensor("count", new int[] {n}, counts)),
                Map.of("format", MODEL_TYPE));
        ObjectNode config = MAPPER.createObjectNode();
        config.put("model_type", MODEL_TYPE);
        config.put("vocab_size", vocabSize);
        config.put("smoothing", "add-one");
        AtomicFiles.write(dir.resolve("config.json"), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
    }

    /**
     * Loads a saved model.
     *
     * @throws ModelFormatException naming the file: a bad vocab_size, mismatched vectors, or ids and
     *                              counts that are not whole numbers in range
     */
    public static BigramModel load(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        JsonNode config = JsonFiles.readObject(configFile, 1 << 20, "a config.json");
        JsonNode v = config.get("vocab_size");
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new ModelFormatException(configFile, "\"vocab_size\" must be a positive whole number");
        }
        int vocab = v.asInt();
        Path file = dir.resolve(COUNTS);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : List.of("first", "second", "count")) {
                if (!st.has(name)) {
                    throw new ModelFormatException(file, "tensor '" + name + "' is missing");
                }
            }
            float[] first = st.readFloats("first");
            float[] second = st.readFloats("second");
            float[] counts = st.readFloats("count");
            if (first.length != second.length || first.length != counts.length) {
                throw new ModelFormatException(file, "'first', 'second' and 'count' must have the same length");
            }
            Map<Long, Integer> pairs = new HashMap<>();
            for (int i = 0; i < first.length; i++) {
                if (!isId(first[i], vocab) || !isId(second[i], vocab)) {
                    throw new ModelFormatException(file, "pair " + i + " has an id outside the vocabulary (" + vocab + ")");
                }
                if (!(counts[i] >= 1 && counts[i] <= MAX_COUNT && counts[i] == Math.rint(counts[i]))) {
                    throw new ModelFormatException(file, "pair " + i + " has count " + counts[i] + ", not a whole number >= 1");
                }
                if (pairs.put(key((int) first[i], (int) second[i], vocab), (int) counts[i]) != null) {
                    throw new ModelFormatException(file, "pair " + i + " appears twice");
                }
            }
            return new BigramModel(vocab, pairs);
        }
    }

    private static boolean isId(float x, int vocab) {
        return x >= 0 && x < vocab && x == Math.rint(x);
    }

    private static long key(int a, int b, int vocab) {
        return (long) a * vocab + b;
    }
}
