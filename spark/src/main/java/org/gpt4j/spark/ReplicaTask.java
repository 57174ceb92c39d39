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
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
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
 * {@link RingAllReduce}, loads the run's current checkpoint and its token file from the run
 * directory, and trains to the last step with the same {@link Trainer} as {@code train}. Replica 0
 * returns its summary (as {@link ReplicaResult}); the others return nothing.
 */
final class ReplicaTask extends AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<ReplicaResult>>
        implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String dir;
    private final Map<String, String> options;
    private final int timeoutMillis;

    /**
     * @param dir           the run directory, on a path every executor reads and replica 0 writes
     * @param options       the run's options as flags (the driver's, with --steps and the rest applied)
     * @param timeoutMillis how long a replica waits for its neighbour before failing the stage
     */
    ReplicaTask(Path dir, TrainingOptions options, int timeoutMillis) {
        this.dir = dir.toAbsolutePath().toString();
        this.options = Map.copyOf(options.toFlags());
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public scala.collection.Iterator<ReplicaResult> apply(scala.collection.Iterator<Integer> ignored) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        String address = ctx.getTaskInfos()[rank].address();
        String host = address.substring(0, address.lastIndexOf(':'));
        try (ServerSocket server = RingAllReduce.listen(host)) {
            List<String> peers = List.of(ctx.allGather(host + ":" + server.getLocalPort()));
            try (RingAllReduce ring = RingAllReduce.connect(rank, peers, server, timeoutMillis)) {
                Trainer.Summary s = train(ring, ctx);
                Iterator<ReplicaResult> out = rank == 0 ? List.of(ReplicaResult.of(s, ring.stats())).iterator()
                        : java.util.Collections.emptyIterator();
                return CollectionConverters.asScala(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + rank + " on " + host + ": " + e.getMessage(), e);
        }
    }

    private Trainer.Summary train(RingAllReduce ring, BarrierTaskContext ctx) throws IOException {
        Path run = Path.of(dir);
        TrainingState state = Checkpoint.readState(run).withOptions(TrainingOptions.of(options));
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
}
