package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gpt4j.io.BertConfigJson;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.HeapBudget;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.train.Checkpoint;
import org.gpt4j.train.RunDirectory;
import org.gpt4j.train.TokenDataset;
import org.gpt4j.train.TokenizerSpec;
import org.gpt4j.train.Trainer;
import org.gpt4j.train.TrainingOptions;
import org.gpt4j.train.TrainingState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j train}: pre-train a GPT (or count the bigram baseline) on text files. */
@Command(name = "train", header = "Pre-train a GPT (or count the bigram baseline) on your text files.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pre-train a GPT on your text: AdamW with weight decay on matrices and embeddings,",
            "linear warmup then cosine decay, global-norm clipping, gradient accumulation.",
            "The run directory is a model directory (config.json, model.safetensors, tokenizer) plus",
            "the training state, metrics.jsonl, loss.png and best/ (the best validation loss so far).",
            "Ctrl-C finishes the step, saves, and exits; --resume continues with the identical losses."})
final class TrainCommand implements Callable<Integer> {

    static final String TOKENS_FILE = RunDirectory.TOKENS;

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--data", arity = "1..*", paramLabel = "FILE",
            description = "UTF-8 text files, concatenated; the first 90%% trains, the last 10%% validates. "
                + "With --spark, also URIs of the cluster's file systems (hdfs://, s3a://, file://), copied into "
                + "the run's data/ first. With --resume: the files the run recorded when left out.")
    List<String> dataArgs;

    /** The --data files on this machine (a URI's fetched copy), or null when not given. */
    List<Path> data;

    @Option(names = "--tokenizer", paramLabel = "char|bpe:N|DIR",
            description = "char (default), byte-level BPE learnt from the data with N tokens, or a tokenizer directory.")
    String tokenizer;

    @Option(names = "--model", paramLabel = "gpt|bigram", defaultValue = "gpt",
            description = "gpt, or bigram: the counting baseline P(next | current) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--arch", paramLabel = "gpt|bert", defaultValue = "gpt",
            description = "gpt (default), or bert: masked-LM + next-sentence pre-training of a BERT with a WordPiece "
                + "--tokenizer (DIR with vocab.txt, or wordpiece:N learnt from --data); the corpus is documents separated "
                + "by blank lines. A BERT --init-from or --resume directory selects bert by itself.")
    String arch;

    @Option(names = "--no-nsp", description = "bert only: the masked-LM objective alone (RoBERTa's), no next-sentence prediction.")
    boolean noNsp;

    @Option(names = "--preset", paramLabel = "NAME", converter = TrainPreset.Converter.class,
            description = "shakespeare-char (nanoGPT's), nano, micro or mini; or a BERT (Google's compact BERTs, which make the "
                + "run a BERT's): bert-tiny, bert-mini, bert-small or bert-medium. Flags override it (default: none).")
    TrainPreset preset;

    @Option(names = "--layers", paramLabel = "L", description = "Transformer blocks (n_layer; default 4).") Integer layers;
    @Option(names = "--heads", paramLabel = "H", description = "Attention heads per block (n_head; default 4); divides --embd.") Integer heads;
    @Option(names = "--embd", paramLabel = "D", description = "Width of the residual stream (n_embd; default 128).") Integer embd;
    @Option(names = "--context", paramLabel = "T", description = "Context window (n_positions, tokens per training window; default 128; "
            + "with --init-from the model's n_positions, so lower --batch for a long-context model).") Integer context;
    @Option(names = "--batch", paramLabel = "B", description = "Windows per micro-batch (default 32). Memory grows with batch x context "
            + "(and with context squared through attention); the run prints what a batch takes and refuses one the heap cannot hold.") Integer batch;
    @Option(names = "--grad-accum", paramLabel = "N", description = "Micro-batches per optimiser step (default 1).") Integer gradAccum;
    @Option(names = "--steps", paramLabel = "N", description = "Optimiser steps (default 1000).") Integer steps;
    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default 1e-3).") Double lr;
    @Option(names = "--min-lr", paramLabel = "LR", description = "Learning rate at the end of the cosine (default 1e-4).") Double minLr;
    @Option(names = "--warmup", paramLabel = "N", description = "Linear warmup steps (default 100).") Integer warmup;
    @Option(names = "--weight-decay", paramLabel = "W", description = "AdamW decay on matrices and embeddings (default 0.1).") Double weightDecay;
    @Option(names = "--dropout", paramLabel = "P", description = "Dropout while training (default 0).") Double dropout;
    @Option(names = "--clip", paramLabel = "N", description = "Global gradient-norm limit, 0 for none (default 1.0).") Double clip;
    @Option(names = "--beta1", paramLabel = "B1", description = "AdamW beta1 (default 0.9).") Double beta1;
    @Option(names = "--beta2", paramLabel = "B2", description = "AdamW beta2 (default 0.99).") Double beta2;
    @Option(names = "--eval-every", paramLabel = "N", description = "Steps between evaluations and checkpoints (default 250).") Integer evalEvery;
    @Option(names = "--eval-batches", paramLabel = "N",
            description = "Fixed batches per evaluation; 0 (default): the whole validation split (and 10 train batches).") Integer evalBatches;
    @Option(names = "--sample-tokens", paramLabel = "N", description = "Length of the sample at each evaluation (default 100).") Integer sampleTokens;
    @Option(names = "--seed", paramLabel = "S", description = "Seeds the weights, batches and dropout (default 1337).") Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "The run directory to create.")
    Path out;

    @Option(names = "--force", description = "Start over in --out: a run or model already there is removed first "
            + "(only the files a run writes).")
    boolean force;

    @Option(names = "--resume", paramLabel = "DIR", arity = "0..1", fallbackValue = "",
            description = "Continue the run in DIR (or in --out) from its last checkpoint.")
    String resume;

    @Option(names = "--init-from", paramLabel = "MODEL_DIR",
            description = "Start from a model directory's weights (or the name of a model under models/, such as en-base).")
    Path initFrom;

    @Option(names = "--stop-after", paramLabel = "STEP",
            description = "End this invocation after step STEP, saving a checkpoint as Ctrl-C does, while the schedule"
                    + " (warmup, cosine) still runs to --steps: a long run spread over sessions, each continued with"
                    + " --resume [--stop-after LATER_STEP]. Not with --spark.")
    Long stopAfter;

    @Option(names = "--json", description = "Print one JSON object per evaluation, then a summary as the last line.")
    boolean json;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = "",
            description = "Train data-parallel on Apache Spark: local[N], spark://HOST:PORT, yarn...; without MASTER, the one"
                    + " spark-submit configured. Needs the gpt4j-spark jar (./gpt4j finds it). The gradient allreduce"
                    + " takes Spark settings (--conf with spark-submit, -D in GPT4J_JAVA_OPTS with ./gpt4j):"
                    + " spark.gpt4j.bucketMB (4; buckets summed while the backward goes on), spark.gpt4j.overlap"
                    + " (true), spark.gpt4j.allreduceTimeout (30min).")
    String spark;

    @Option(names = "--workers", paramLabel = "N",
            description = "With --spark: replicas, each computing --grad-accum micro-batches of --batch per step (default 1).")
    Integer workers;

    @Override
    public Integer call() throws Exception {
        initFrom = ModelNames.resolveFromEnvironment(initFrom);
        Path dir = runDirectory();
        if (dataArgs == null && resume == null) {
            throw new IllegalArgumentException("give the text to train on with --data FILE...");
        }
        ClusterTraining cluster = null;
        if (spark != null) {
            if (model.equals("bigram")) {
                throw new IllegalArgumentException("--spark trains a GPT; the bigram baseline counts in one process");
            }
            cluster = ClusterTraining.find();
        } else if (workers != null) {
            throw new IllegalArgumentException("--workers " + workers + " needs --spark MASTER");
        }
        if (stopAfter != null && (spark != null || model.equals("bigram"))) {
            throw new IllegalArgumentException("--stop-after ends a GPT or BERT pre-training run in this process; "
                    + (spark != null ? "a --spark run stops with Ctrl-C" : "the bigram baseline counts in one pass"));
        }
        if (dataArgs != null) {
            data = RemoteData.resolve(dataArgs, cluster, dir, resume == null && !force,
                    note -> info(spec.commandLine().getOut(), "data: %s", note));
        }
        boolean bert = arch.equals("bert") || preset != null && preset.bert || initFrom != null && BertConfigJson.isBert(initFrom)
                || resume != null && BertConfigJson.isBert(dir);
        if (!bert && !arch.equals("gpt")) {
            throw new IllegalArgumentException("--arch must be gpt or bert, got '" + arch + "'");
        }
        if (bert) {
            return new BertTraining(this, dir).run();
        }
        if (noNsp) {
            throw new IllegalArgumentException("--no-nsp is for BERT pre-training (--arch bert)");
        }
        if (model.equals("bigram")) {
            return new BigramTraining(this, dir).run();
        }
        if (!model.equals("gpt")) {
            throw new IllegalArgumentException("--model must be gpt or bigram, got '" + model + "'");
        }
        PrintWriter w = spec.commandLine().getOut();
        Trainer trainer;
        Tokenizer tok;
        if (resume != null) {
            if (force) {
                throw new IllegalArgumentException("--force starts over; it cannot be combined with --resume");
            }
            if (preset != null || initFrom != null || tokenizer != null) {
                throw new IllegalArgumentException("--resume keeps the run's settings, model and tokenizer: leave out"
                        + " --preset, --init-from and --tokenizer");
            }
            TrainingState state = RunDirectory.resumableState(dir, givenFlags());
            checkStopAfter(state.step(), state.options().steps());
            if (data == null) {
                data = RunDirectory.recordedData(dir, state);
                info(w, "data: %s (recorded by the run)", String.join(", ", data.stream().map(Path::toString).toList()));
            }
            tok = Tokenizers.load(dir);
            // Before anything is tokenised into the run's token file: the data must be the run's.
            RunDirectory.requireSameData(dir, state, TokenDataset.keyOf(data, TokenizerSpec.fingerprint(tok)));
            TokenDataset d = prepareData(tok, dir, state.options().context());
            trainer = RunDirectory.resume(dir, state, d, tok::decode, m -> Tokenizers.save(tok, m));
            for (String repaired : Checkpoint.recover(dir)) {
                info(w, "repaired an interrupted checkpoint: %s", repaired);
            }
            info(w, "resuming %s at step %d of %d", dir, state.step(), state.options().steps());
        } else {
            // Every input is checked before anything is written or removed: a failed start leaves
            // the directory as it was (with --force too, whose removal comes last).
            if (!force) {
                RunDirectory.requireFresh(dir);
            }
            TrainingOptions options = TrainingOptions.DEFAULTS.with(preset == null ? Map.of() : preset.flags)
                    .with(givenFlags());
            checkStopAfter(0, options.steps());
            Gpt gpt;
            if (initFrom != null) {
                Gpt base = ModelDirectory.load(initFrom);
                options = options.with(shapeOf(base.config()));
                tok = tokenizer != null ? TokenizerSpec.build(tokenizer, data) : Tokenizers.load(initFrom);
                if (tok.vocabSize() != base.config().vocabSize()) {
                    throw new IllegalArgumentException("--init-from " + initFrom + " has a vocabulary of "
                            + base.config().vocabSize() + " tokens, the tokenizer " + tok.vocabSize());
                }
                gpt = new Gpt(base.config().withDropout(options.dropout()), base.parameters());
            } else {
                tok = TokenizerSpec.build(tokenizer == null ? "char" : tokenizer, data);
                gpt = GptInit.randomGpt(options.modelConfig(tok.vocabSize()), options.seed());
            }
            TokenDataset d = prepareData(tok, dir, options.context());
            if (force) {
                RunDirectory.discard(dir);
            }
            trainer = RunDirectory.start(dir, options, gpt, d, tok::decode, m -> Tokenizers.save(tok, m));
        }
        if (cluster != null) {
            return runOnCluster(cluster, trainer, dir, w);
        }
        printMemory(w, trainer.memoryNeeds(), trainer.state().options());
        trainer.stopAfter(stopAfterStep());
        return runWithStopHook(trainer, dir, w);
    }

    /**
     * Hands the run to the cluster: a fresh run's initial weights are written as its first
     * checkpoint, which every replica loads, and progress is printed as rank 0 writes it.
     */
    private int runOnCluster(ClusterTraining cluster, Trainer trainer, Path dir, PrintWriter w) throws Exception {
        TrainingState start = trainer.state();
        if (start.step() == 0) {
            trainer.saveCheckpoint();
        }
        Trainer.Summary s;
        try (TrainProgress progress = new TrainProgress(w, spec.commandLine().getErr(), json, TrainProgress.isTerminal(),
                dir, start.step(), start.options().steps(), start.options().evalEvery())) {
            s = cluster.train(spark.isEmpty() ? null : spark, dir, start.options(), progress);
        }
        TrainProgress.printSummary(w, json, s, dir);
        return 0;
    }

    private int runWithStopHook(Trainer trainer, Path dir, PrintWriter w) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                done.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gpt4j-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TrainingState start = trainer.state();
            Trainer.Summary s;
            try (TrainProgress progress = new TrainProgress(w, spec.commandLine().getErr(), json, TrainProgress.isTerminal(),
                    dir, start.step(), start.options().steps(), start.options().evalEvery())) {
                s = trainer.run(progress);
            }
            TrainProgress.printSummary(w, json, s, dir);
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for this run to save; let it return.
            }
            done.countDown();
        }
    }

    /**
     * Refuses a --stop-after outside the run's current step and the schedule's last; called before
     * anything is written.
     */
    void checkStopAfter(long current, long last) {
        if (stopAfter != null && (stopAfter <= current || stopAfter >= last)) {
            throw new IllegalArgumentException("--stop-after " + stopAfter + " must lie after the run's current step ("
                    + current + ") and before its last (" + last + ")");
        }
    }

    /** The step after which this invocation ends: --stop-after, or never. */
    long stopAfterStep() {
        return stopAfter == null ? Long.MAX_VALUE : stopAfter;
    }

    /** The run directory: --out, or --resume's DIR (they must agree when both are given). */
    Path runDirectory() {
        Path fromResume = resume == null || resume.isEmpty() ? null : Path.of(resume);
        if (fromResume != null && out != null && !fromResume.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--resume " + fromResume + " and --out " + out + " name different directories");
        }
        Path dir = fromResume != null ? fromResume : out;
        if (dir == null) {
            throw new IllegalArgumentException(resume != null ? "--resume: give the run directory (--resume DIR)"
                    : "give the run directory with --out DIR");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not a directory");
        }
        return dir;
    }

    /**
     * Tokenises --data into the run's cache (or reuses it); each split must hold a window of
     * {@code context}, which is checked before the cache (or the directory) is written.
     */
    TokenDataset prepareData(Tokenizer tok, Path dir, int context) throws Exception {
        String names = String.join(", ", data.stream().map(Path::toString).toList());
        TokenDataset d = TokenDataset.prepare(data, tok::encode, TokenizerSpec.fingerprint(tok), tok.vocabSize(),
                dir.resolve(TOKENS_FILE), context, names);
        d.requireWindows(context, names);
        info(spec.commandLine().getOut(), "data: %s tokens (%,d train, %,d validation), vocabulary %,d; %s %s",
                String.format(Locale.ROOT, "%,d", d.size()), d.train().length(), d.validation().length(),
                tok.vocabSize(), d.fromCache() ? "reused" : "tokenised into", dir.resolve(TOKENS_FILE));
        return d;
    }

    /** What one process's training will hold, beside its heap (the run refuses what does not fit). */
    void printMemory(PrintWriter w, Trainer.MemoryNeeds memory, TrainingOptions o) {
        info(w, "memory: %s of activations for a batch of %d x %d tokens, %s of weights, gradients and AdamW"
                + " moments; the heap holds %s", HeapBudget.human(memory.activations()), o.batch(), o.context(),
                HeapBudget.human(memory.parameterState()), HeapBudget.human(Runtime.getRuntime().maxMemory()));
    }

    void info(PrintWriter w, String format, Object... args) {
        if (!json) {
            w.printf(Locale.ROOT, format + "%n", args);
            w.flush();
        }
    }

    /** The options given on the command line, by flag name without dashes. */
    Map<String, String> givenFlags() {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "layers", layers);
        put(f, "heads", heads);
        put(f, "embd", embd);
        put(f, "context", context);
        put(f, "batch", batch);
        put(f, "grad-accum", gradAccum);
        put(f, "steps", steps);
        put(f, "lr", lr);
        put(f, "min-lr", minLr);
        put(f, "warmup", warmup);
        put(f, "weight-decay", weightDecay);
        put(f, "dropout", dropout);
        put(f, "clip", clip);
        put(f, "beta1", beta1);
        put(f, "beta2", beta2);
        put(f, "eval-every", evalEvery);
        put(f, "eval-batches", evalBatches);
        put(f, "sample-tokens", sampleTokens);
        put(f, "seed", seed);
        put(f, "workers", workers);
        return f;
    }

    /** The shape of an --init-from model; a contradicting shape flag is an error. */
    private Map<String, String> shapeOf(GptConfig c) {
        Map<String, String> shape = Map.of("layers", Integer.toString(c.nLayer()), "heads", Integer.toString(c.nHead()),
                "embd", Integer.toString(c.nEmbd()), "context", Integer.toString(c.nPositions()));
        Map<String, String> given = givenFlags();
        for (Map.Entry<String, String> e : shape.entrySet()) {
            if (given.containsKey(e.getKey()) && !given.get(e.getKey()).equals(e.getValue())) {
                throw new IllegalArgumentException("--init-from " + initFrom + " has --" + e.getKey() + " " + e.getValue()
                        + "; leave out --" + e.getKey() + " " + given.get(e.getKey()));
            }
        }
        return shape;
    }

    private static void put(Map<String, String> f, String name, Object value) {
        if (value != null) {
            f.put(name, value.toString());
        }
    }
}
