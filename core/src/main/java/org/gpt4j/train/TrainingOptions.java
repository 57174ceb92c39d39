package org.gpt4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpt4j.model.GptConfig;

/**
 * Every hyper-parameter of a pre-training run, named as the {@code train} command's flags (without
 * the dashes), validated here so a bad value is reported by its flag. Also the form in which a run
 * directory remembers its settings: {@link #toFlags()} and {@link #of(Map)} round-trip exactly.
 */
public record TrainingOptions(
        int layers, int heads, int embd, int context,
        int batch, int gradAccum, int steps,
        double lr, double minLr, int warmup,
        double weightDecay, double dropout, double clip, double beta1, double beta2,
        int evalEvery, int evalBatches, long seed, int sampleTokens, int workers) {

    /** Defaults when no preset or flag says otherwise (nanoGPT's char model, scaled to a CPU). */
    public static final TrainingOptions DEFAULTS = new TrainingOptions(4, 4, 128, 128, 32, 1, 1000,
            1e-3, 1e-4, 100, 0.1, 0.0, 1.0, 0.9, 0.99, 250, 0, 1337, 100, 1);

    /**
     * Flags that decide the loss sequence: a resumed run must keep them. {@code steps} may grow
     * (the cosine then stretches), and evaluation settings only change what is measured. {@code workers}
     * (data-parallel replicas on Spark, 1 for one process) multiplies the batch, so it is fixed too.
     */
    public static final Set<String> FIXED_ON_RESUME = Set.of("layers", "heads", "embd", "context", "batch",
            "grad-accum", "workers", "lr", "min-lr", "warmup", "weight-decay", "dropout", "clip", "beta1", "beta2", "seed");

    public TrainingOptions {
        positive("layers", layers);
        positive("heads", heads);
        positive("embd", embd);
        positive("context", context);
        positive("batch", batch);
        positive("grad-accum", gradAccum);
        positive("steps", steps);
        positive("workers", workers);
        if (embd % heads != 0) {
            throw new IllegalArgumentException("--embd (" + embd + ") must be divisible by --heads (" + heads + ")");
        }
        if (embd > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("--embd " + embd + " is too large: the feed-forward layer is 4 x --embd wide,"
                    + " so --embd is at most " + Integer.MAX_VALUE / 4);
        }
        if ((long) batch * context > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--batch " + batch + " x --context " + context + " = " + (long) batch * context
                    + " tokens per micro-batch is more than one Java array holds: lower --batch or --context");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        if (!(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("--min-lr must be between 0 and --lr (" + lr + "), got " + minLr);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("--clip must be >= 0 (0 turns clipping off), got " + clip);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("--beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("--beta2 must be in [0, 1), got " + beta2);
        }
        positive("eval-every", evalEvery);
        if (evalBatches < 0) {
            throw new IllegalArgumentException("--eval-batches must be >= 0 (0: the whole validation split), got "
                    + evalBatches);
        }
        if (sampleTokens < 0) {
            throw new IllegalArgumentException("--sample-tokens must be >= 0, got " + sampleTokens);
        }
    }

    /** The model these options train, for a vocabulary of {@code vocabSize} ids. */
    public GptConfig modelConfig(int vocabSize) {
        return GptConfig.gpt2(layers, heads, embd, context, vocabSize).withDropout(dropout);
    }

    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(lr, minLr, warmup, steps);
    }

    /** Tokens one optimiser step reads: batch x context x grad-accum x workers. */
    public long tokensPerStep() {
        return (long) batch * context * gradAccum * workers;
    }

    /** The options as flag name (no dashes) to value, in the command's order. */
    public Map<String, String> toFlags() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("layers", Integer.toString(layers));
        f.put("heads", Integer.toString(heads));
        f.put("embd", Integer.toString(embd));
        f.put("context", Integer.toString(context));
        f.put("batch", Integer.toString(batch));
        f.put("grad-accum", Integer.toString(gradAccum));
        f.put("steps", Integer.toString(steps));
        f.put("lr", Double.toString(lr));
        f.put("min-lr", Double.toString(minLr));
        f.put("warmup", Integer.toString(warmup));
        f.put("weight-decay", Double.toString(weightDecay));
        f.put("dropout", Double.toString(dropout));
        f.put("clip", Double.toString(clip));
        f.put("beta1", Double.toString(beta1));
        f.put("beta2", Double.toString(beta2));
        f.put("eval-every", Integer.toString(evalEvery));
        f.put("eval-batches", Integer.toString(evalBatches));
        f.put("seed", Long.toString(seed));
        f.put("sample-tokens", Integer.toString(sampleTokens));
        f.put("workers", Integer.toString(workers));
        return f;
    }

    /**
     * These options with some flags replaced.
     *
     * @throws IllegalArgumentException for an unknown flag or a value that is not a number
     */
    public TrainingOptions with(Map<String, String> flags) {
        Map<String, String> f = toFlags();
        for (Map.Entry<String, String> e : flags.entrySet()) {
            if (!f.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown training option --" + e.getKey());
            }
            f.put(e.getKey(), e.getValue());
        }
        return of(f);
    }

    /**
     * Options from a complete flag map (as {@link #toFlags()} writes it). {@code workers} may be
     * missing (runs written before data-parallel training): one process.
     */
    public static TrainingOptions of(Map<String, String> f) {
        return new TrainingOptions(integer(f, "layers"), integer(f, "heads"), integer(f, "embd"), integer(f, "context"),
                integer(f, "batch"), integer(f, "grad-accum"), integer(f, "steps"),
                number(f, "lr"), number(f, "min-lr"), integer(f, "warmup"),
                number(f, "weight-decay"), number(f, "dropout"), number(f, "clip"), number(f, "beta1"), number(f, "beta2"),
                integer(f, "eval-every"), integer(f, "eval-batches"), longInteger(f, "seed"), integer(f, "sample-tokens"),
                f.containsKey("workers") ? integer(f, "workers") : 1);
    }

    /**
     * The flags among {@link #FIXED_ON_RESUME} whose values differ, as "--flag X (was Y)".
     */
    public List<String> conflictsWith(TrainingOptions stored) {
        Map<String, String> mine = toFlags();
        Map<String, String> theirs = stored.toFlags();
        return mine.keySet().stream()
                .filter(FIXED_ON_RESUME::contains)
                .filter(k -> !mine.get(k).equals(theirs.get(k)))
                .map(k -> "--" + k + " " + mine.get(k) + " (the run used " + theirs.get(k) + ")")
                .toList();
    }

    private static String value(Map<String, String> f, String flag) {
        String v = f.get(flag);
        if (v == null) {
            throw new IllegalArgumentException("missing training option --" + flag);
        }
        return v.strip();
    }

    private static int integer(Map<String, String> f, String flag) {
        try {
            return Integer.parseInt(value(f, flag));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + ": '" + f.get(flag) + "' is not a whole number");
        }
    }

    private static long longInteger(Map<String, String> f, String flag) {
        try {
            return Long.parseLong(value(f, flag));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + ": '" + f.get(flag) + "' is not a whole number");
        }
    }

    private static double number(Map<String, String> f, String flag) {
        try {
            return Double.parseDouble(value(f, flag));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + ": '" + f.get(flag) + "' is not a number");
        }
    }

    private static void positive(String flag, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("--" + flag + " must be positive, got " + value);
        }
    }
}
