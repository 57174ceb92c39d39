package org.gpt4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInit;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.Utf8;
import org.gpt4j.tokenizer.WordPieceConfig;
import org.gpt4j.tokenizer.WordPieceTokenizer;
import org.gpt4j.tokenizer.WordPieceTrainer;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.BertCorpus;
import org.gpt4j.train.BertPreTrainer;
import org.gpt4j.train.BertRun;
import org.gpt4j.train.Checkpoint;
import org.gpt4j.train.MetricsLog;
import org.gpt4j.train.RunDirectory;
import org.gpt4j.train.TokenDataset;
import org.gpt4j.train.TokenizerSpec;
import org.gpt4j.train.Trainer;
import org.gpt4j.train.TrainingOptions;
import org.gpt4j.train.TrainingState;

/**
 * {@code train --arch bert} (or a BERT directory as --init-from, or --resume of a BERT run):
 * masked-LM + next-sentence pre-training with {@link BertPreTrainer}, the run directory a
 * BertForPreTraining directory with vocab.txt plus the same training state as a GPT run, and
 * {@code pretraining.json} recording the objective ({@code nsp}) so a resume keeps it.
 */
final class BertTraining {

    private final TrainCommand cmd;
    private final Path dir;
    private final PrintWriter w;

    BertTraining(TrainCommand cmd, Path dir) {
        this.cmd = cmd;
        this.dir = dir;
        this.w = cmd.spec.commandLine().getOut();
    }

    int run() throws Exception {
        if (cmd.preset != null && !cmd.preset.bert) {
            throw new IllegalArgumentException("--preset " + cmd.preset + " is a GPT's; a BERT's: " + TrainPreset.names(true)
                    + " (or its shape: --layers, --heads, --embd)");
        }
        if (cmd.preset != null && cmd.resume != null) {
            throw new IllegalArgumentException("--resume keeps the run's settings: leave out --preset");
        }
        BertPreTrainer trainer = cmd.resume != null ? resume() : start();
        return cmd.spark != null ? runOnCluster(trainer) : runWithStopHook(trainer);
    }

    private BertPreTrainer start() throws Exception {
        if (!cmd.force) {
            RunDirectory.requireFresh(dir);
        }
        TrainingOptions options = TrainingOptions.DEFAULTS.with(cmd.preset == null ? Map.of() : cmd.preset.flags)
                .with(cmd.givenFlags());
        cmd.checkStopAfter(0, options.steps());
        WordPieceTokenizer tok;
        Bert bert;
        if (cmd.initFrom != null) {
            if (cmd.tokenizer != null) {
                throw new IllegalArgumentException("--init-from " + cmd.initFrom + " brings its own vocab.txt: leave out --tokenizer");
            }
            Bert base = BertModels.load(cmd.initFrom, "train --init-from");
            tok = BertModels.tokenizer(cmd.initFrom, base);
            BertConfig c = base.config();
            options = options.with(Map.of("layers", Integer.toString(c.numHiddenLayers()), "heads",
                    Integer.toString(c.numAttentionHeads()), "embd", Integer.toString(c.hiddenSize()),
                    "context", Integer.toString(Math.min(options.context(), c.maxPositionEmbeddings()))));
            bert = new Bert(c.withDropout(options.dropout()), base.parameters());
        } else {
            tok = tokenizer();
            BertConfig base = BertConfig.of(tok.vocabSize(), options.embd(), options.layers(), options.heads());
            BertConfig config = new BertConfig(tok.vocabSize(), options.embd(), options.layers(), options.heads(),
                    base.intermediateSize(), options.context(), 2, base.layerNormEps(), base.hiddenAct(), options.dropout());
            bert = BertInit.randomBert(config, options.seed());
        }
        BertCorpus corpus = BertCorpus.read(cmd.data, tok::encode);
        if (cmd.force) {
            RunDirectory.discard(dir);
        }
        String key = TokenDataset.keyOf(cmd.data, TokenizerSpec.fingerprint(tok));
        TrainingState state = new TrainingState(0, options, Double.NaN, -1, key, absolute(cmd.data));
        AdamW adamw = new AdamW(bert.parameters(), options.beta1(), options.beta2(), AdamW.DEFAULT_EPS, options.weightDecay());
        boolean nsp = !cmd.noNsp;
        return trainer(bert, adamw, corpus, tok, nsp, state);
    }

    private BertPreTrainer resume() throws Exception {
        if (cmd.force || cmd.initFrom != null || cmd.tokenizer != null || cmd.noNsp) {
            throw new IllegalArgumentException("--resume keeps the run's settings, model, tokenizer and objective: leave out"
                    + " --force, --init-from, --tokenizer and --no-nsp");
        }
        TrainingState state = RunDirectory.resumableState(dir, cmd.givenFlags());
        cmd.checkStopAfter(state.step(), state.options().steps());
        if (cmd.data == null) {
            cmd.data = RunDirectory.recordedData(dir, state);
        }
        for (String repaired : Checkpoint.recover(dir)) {
            cmd.info(w, "repaired an interrupted checkpoint: %s", repaired);
        }
        BertPreTrainer t = BertRun.resume(dir, state, cmd.data);
        cmd.info(w, "resuming %s at step %d of %d", dir, state.step(), state.options().steps());
        return described(t, BertRun.readNsp(dir));
    }

    private BertPreTrainer trainer(Bert bert, AdamW adamw, BertCorpus corpus, WordPieceTokenizer tok, boolean nsp,
            TrainingState state) {
        return described(BertRun.trainer(dir, bert, adamw, corpus, tok, nsp, state), nsp);
    }

    private BertPreTrainer described(BertPreTrainer t, boolean nsp) {
        cmd.info(w, "data: %,d training pairs; %s", t.trainPairCount(), nsp ? "MLM + NSP" : "MLM only");
        return t;
    }

    /** --tokenizer DIR (vocab.txt) or wordpiece:N, learnt from --data. */
    private WordPieceTokenizer tokenizer() throws IOException {
        String spec = cmd.tokenizer;
        if (spec == null) {
            throw new IllegalArgumentException("train --arch bert needs a WordPiece vocabulary: --tokenizer DIR (with vocab.txt)"
                    + " or --tokenizer wordpiece:N (learnt from --data)");
        }
        if (spec.startsWith("wordpiece:")) {
            int size;
            try {
                size = Integer.parseInt(spec.substring("wordpiece:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tokenizer " + spec + ": N must be a whole number (wordpiece:8000)");
            }
            WordPieceTrainer trainer = new WordPieceTrainer(WordPieceConfig.bert(true));
            for (Path f : cmd.data) {
                trainer.addText(Utf8.readFile(f));
            }
            return trainer.train(size, (v, target) -> { });
        }
        Tokenizer tok = Tokenizers.load(Path.of(spec));
        if (!(tok instanceof WordPieceTokenizer wp)) {
            throw new IllegalArgumentException("--tokenizer " + spec + " is not a WordPiece vocab.txt directory (a BERT needs one)");
        }
        return wp;
    }

    private static List<Path> absolute(List<Path> files) {
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            out.add(f.toAbsolutePath().normalize());
        }
        return out;
    }

    /**
     * Hands the run to the cluster as a GPT run is handed: the fresh run's initial weights are its
     * first checkpoint, which every replica loads; replica 0 writes; the driver shows its metrics.
     */
    private int runOnCluster(BertPreTrainer trainer) throws Exception {
        ClusterTraining cluster = ClusterTraining.find();
        TrainingState start = trainer.state();
        if (start.step() == 0) {
            trainer.saveCheckpoint();
        }
        Trainer.Summary s;
        try (TrainProgress progress = new TrainProgress(w, cmd.spec.commandLine().getErr(), cmd.json,
                TrainProgress.isTerminal(), dir, start.step(), start.options().steps(), start.options().evalEvery())) {
            s = cluster.train(cmd.spark.isEmpty() ? null : cmd.spark, dir, start.options(), new Trainer.Listener() {
                @Override
                public void onStep(Trainer.StepReport r) {
                    progress.onStep(r);
                }

                @Override
                public void onEvaluation(Trainer.EvalReport r) {
                    // replica 0's evaluation line, as this process would have printed it
                    lastEvaluation(r.step()).map(BertTraining::evalReport).ifPresent(e -> printEvaluation(progress, e));
                }
            });
        }
        BertPreTrainer.EvalReport last = lastEvaluation(Long.MAX_VALUE).map(BertTraining::evalReport).orElse(null);
        return report(new BertPreTrainer.Summary(s.steps(), last, s.tokens(), s.tokensPerSecond(), s.stopped()));
    }

    /** The run's last evaluation line at or before {@code step}. */
    private java.util.Optional<JsonNode> lastEvaluation(long step) {
        try {
            return MetricsLog.read(dir.resolve(MetricsLog.FILE)).stream()
                    .filter(n -> n.path("type").asText().equals("eval") && n.path("step").asLong() <= step)
                    .reduce((a, b) -> b);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static BertPreTrainer.EvalReport evalReport(JsonNode n) {
        return new BertPreTrainer.EvalReport(n.path("step").asLong(), n.path("val_mlm_loss").asDouble(Double.NaN),
                n.path("mlm_accuracy").asDouble(Double.NaN), n.path("nsp_accuracy").asDouble(Double.NaN),
                n.path("best").asBoolean());
    }

    private void printEvaluation(TrainProgress progress, BertPreTrainer.EvalReport r) {
        if (cmd.json) {
            w.println(evalJson(r));
        } else {
            progress.printAbove(String.format(Locale.ROOT, "step %d: val MLM loss %.4f, MLM accuracy %.4f%s%s",
                    r.step(), r.mlmLoss(), r.mlmAccuracy(), Double.isNaN(r.nspAccuracy()) ? ""
                            : String.format(Locale.ROOT, ", NSP accuracy %.4f", r.nspAccuracy()),
                    r.best() ? " (best)" : ""));
        }
        w.flush();
    }

    private int runWithStopHook(BertPreTrainer trainer) throws Exception {
        cmd.printMemory(w, trainer.memoryNeeds(), trainer.state().options());
        trainer.stopAfter(cmd.stopAfterStep());
        // Ctrl-C: the hook asks the loop to stop after its step and waits while it saves.
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                done.await(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gpt4j-bert-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        TrainingState start = trainer.state();
        long startNanos = System.nanoTime();
        try {
            BertPreTrainer.Summary s;
            try (TrainProgress progress = new TrainProgress(w, cmd.spec.commandLine().getErr(), cmd.json,
                    TrainProgress.isTerminal(), dir, start.step(), start.options().steps(), start.options().evalEvery())) {
                s = trainer.run(new BertPreTrainer.Listener() {
                    @Override
                    public void onStep(BertPreTrainer.StepReport r) {
                        // the bar, or a line every 5% of the steps, as a GPT run shows them
                        progress.onStep(new Trainer.StepReport(r.step(), r.steps(), r.loss(), r.lr(),
                                r.gradNorm(), r.tokensPerSecond(), (System.nanoTime() - startNanos) / 1e9));
                    }

                    @Override
                    public void onEvaluation(BertPreTrainer.EvalReport r) {
                        printEvaluation(progress, r);
                    }
                });
            }
            return report(s);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for this run to save; let it return.
            }
            done.countDown();
        }
    }

    private int report(BertPreTrainer.Summary s) {
        if (cmd.json) {
            ObjectNode n = s.last() == null ? new ObjectMapper().createObjectNode() : evalJson(s.last());
            n.remove("step");
            n.put("steps", s.steps()).put("tokens", s.tokens()).put("tokens_per_second", s.tokensPerSecond())
                    .put("stopped", s.stopped()).put("out", dir.toString());
            w.println(n);
        } else if (s.stopped()) {
            w.printf(Locale.ROOT, "stopped after step %d; checkpoint saved in %s (continue with --resume %s)%n", s.steps(), dir, dir);
        } else {
            w.printf(Locale.ROOT, "done: %d steps, %s tok/s; model in %s%n", s.steps(), TrainProgress.kilo(s.tokensPerSecond()), dir);
        }
        w.flush();
        return 0;
    }

    private static ObjectNode evalJson(BertPreTrainer.EvalReport r) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("step", r.step());
        TrainProgress.putLoss(n, "val_mlm_loss", r.mlmLoss());
        TrainProgress.putLoss(n, "mlm_accuracy", r.mlmAccuracy());
        TrainProgress.putLoss(n, "nsp_accuracy", r.nspAccuracy());
        n.put("best", r.best());
        return n;
    }
}
