package org.gpt4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.gpt4j.io.BertConfigJson;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.train.BertPreTrainer;
import org.gpt4j.train.BertRun;
import org.gpt4j.train.Checkpoint;
import org.gpt4j.train.RunDirectory;
import org.gpt4j.train.TokenDataset;
import org.gpt4j.train.Trainer;
import org.gpt4j.train.TrainingOptions;
import org.gpt4j.train.TrainingState;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * What each task of the barrier stage runs: replica {@code partitionId} opens a socket, learns
 * every replica's address through {@link BarrierTaskContext#allGather}, joins the
 * {@link RingAllReduce} (its gradients summed in buckets by a {@link GradientReducer}), loads the run's current checkpoint and its token file from the run
 * directory (a BERT run: the corpus files it recorded), and trains to the last step with the same
 * {@link Trainer} (or {@link BertPreTrainer}) as {@code train}. Replica 0 returns its summary (as
 * {@link ReplicaResult}); the others return nothing.
 */
final class ReplicaTask extends AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<ReplicaResult>>
        implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String dir;
    private final Map<String, String> options;
    private final RingSettings settings;

    /**
     * @param dir      the run directory, on a path every executor reads and replica 0 writes
     * @param options  the run's options as flags (the driver's, with --steps and the rest applied)
     * @param settings the ring's timeout and gradient buckets
     */
    ReplicaTask(Path dir, TrainingOptions options, RingSettings settings) {
        this.dir = dir.toAbsolutePath().toString();
        this.options = Map.copyOf(options.toFlags());
        this.settings = settings;
    }

    @Override
    public scala.collection.Iterator<ReplicaResult> apply(scala.collection.Iterator<Integer> ignored) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        String address = ctx.getTaskInfos()[rank].address();
        String host = address.substring(0, address.lastIndexOf(':'));
        try (ServerSocket server = RingAllReduce.listen(host)) {
            List<String> peers = List.of(ctx.allGather(host + ":" + server.getLocalPort()));
            try (RingAllReduce transport = RingAllReduce.connect(rank, peers, server, settings.timeoutMillis());
                 GradientReducer ring = settings.reducer(transport)) {
                Trainer.Summary s = train(ring, ctx);
                Iterator<ReplicaResult> out = rank == 0 ? List.of(ReplicaResult.of(s, ring.stats())).iterator()
                        : java.util.Collections.emptyIterator();
                return CollectionConverters.asScala(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + rank + " on " + host + ": " + e.getMessage(), e);
        }
    }

    private Trainer.Summary train(GradientReducer ring, BarrierTaskContext ctx) throws IOException {
        Path run = Path.of(dir);
        TrainingState state = Checkpoint.readState(run).withOptions(TrainingOptions.of(options));
        if (BertConfigJson.isBert(run)) {
            return trainBert(run, state, ring, ctx);
        }
        Tokenizer tok = Tokenizers.load(run);
        TokenDataset data = TokenDataset.openPrepared(run.resolve(RunDirectory.TOKENS), state.dataKey(), tok.vocabSize(),
                state.dataFiles());
        Trainer trainer = RunDirectory.resume(run, state, data, tok::decode, m -> Tokenizers.save(tok, m)).inGroup(ring);
        return trainer.run(new Trainer.Listener() {
            @Override
            public void onStep(Trainer.StepReport report) {
                // A stage Spark has given up on ends here rather than at the next allreduce.
                ctx.killTaskIfInterrupted();
            }
        });
    }

    /**
     * A BERT run's replica: the same {@link BertPreTrainer} as {@code train --arch bert}, reading
     * the corpus files the run recorded (on a path every executor reads), its summary in the form
     * the driver reports (the validation loss is the masked LM's).
     */
    private static Trainer.Summary trainBert(Path run, TrainingState state, GradientReducer ring, BarrierTaskContext ctx)
            throws IOException {
        long start = System.nanoTime();
        BertPreTrainer trainer = BertRun.resume(run, state, RunDirectory.recordedData(run, state)).inGroup(ring);
        BertPreTrainer.Summary s = trainer.run(new BertPreTrainer.Listener() {
            @Override
            public void onStep(BertPreTrainer.StepReport report) {
                ctx.killTaskIfInterrupted();
            }
        });
        return new Trainer.Summary(s.steps(), Double.NaN, s.last() == null ? Double.NaN : s.last().mlmLoss(),
                trainer.state().bestValLoss(), s.tokens(), s.tokensPerSecond(), (System.nanoTime() - start) / 1e9, s.stopped());
    }
}
