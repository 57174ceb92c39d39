package org.gpt4j.spark;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.train.ReplicaGroup;

/**
 * A replica's {@link ReplicaGroup} over a {@link RingAllReduce}: the model's gradients, cut into
 * buckets, are summed over the ring as the step's last backward pass finishes them, on a thread
 * of their own, so that the communication of the later layers hides behind the backward of the
 * earlier ones (PyTorch DistributedDataParallel's Reducer; Horovod's tensor fusion).
 *
 * <p><b>Buckets.</b> The parameters in reverse order (the order a backward finishes them: a GPT's
 * final LayerNorm, its blocks from the last, its embeddings) are cut into consecutive buckets of
 * at least {@code bucketFloats} floats. Bucket k is summed once all its gradients are finished and
 * buckets 0 .. k − 1 have been started; {@link #sum(Parameters, double)} starts every bucket not
 * yet started and waits for all. The buckets depend only on the parameters, never on timing, so
 * every replica puts the same allreduces on the ring in the same order (a replica that was told
 * nothing, because its loss was not finite, sends them all from {@code sum}), and each bucket is
 * summed along the ring's fixed chains: all replicas end with bit-identical gradients, and a rerun
 * with the same number of replicas with the same bits.
 */
final class GradientReducer implements ReplicaGroup, Closeable {

    /** The default bucket: 4 MiB of gradients (DistributedDataParallel's is 25 MiB; ours are smaller models). */
    static final int DEFAULT_BUCKET_FLOATS = 1 << 20;

    /**
     * What was summed: steps, bytes this replica sent, the time the ring was busy, the part of it
     * that was over before the backward pass ended (hidden behind it), and the time the steps
     * waited for the ring after their backward (the rest, plus waiting for slower replicas).
     */
    record Stats(long steps, long bytesSent, long busyNanos, long hiddenNanos, long waitNanos) {

        double bytesPerStep() {
            return steps == 0 ? 0 : (double) bytesSent / steps;
        }

        /** The allreduce's whole time per step, hidden or not. */
        double busySecondsPerStep() {
            return steps == 0 ? 0 : busyNanos / 1e9 / steps;
        }

        /** The allreduce's time per step that was over before the backward ended. */
        double hiddenSecondsPerStep() {
            return steps == 0 ? 0 : hiddenNanos / 1e9 / steps;
        }

        /** The time per step the replica waited for the allreduce after its backward: what overlap did not hide. */
        double waitSecondsPerStep() {
            return steps == 0 ? 0 : waitNanos / 1e9 / steps;
        }
    }

    private record Bucket(List<ParameterSpec> specs, int floats) {
    }

    private final RingAllReduce ring;
    private final int bucketFloats;
    private final boolean overlap;
    /** One thread: the ring carries one allreduce at a time, in bucket order. */
    private final ExecutorService reducer;
    private List<ParameterSpec> plannedFor;
    private List<Bucket> buckets;
    private Map<String, Integer> bucketOf;
    private float[] flat = new float[0];
    // This step's progress.
    private int[] unfinished;
    private int next;
    private Parameters stepParameters;
    private final List<Future<?>> inFlight = new ArrayList<>();
    private volatile boolean failed;
    private long busyAtBegin;
    private long steps;
    private long hiddenNanos;
    private long waitNanos;

    /**
     * @param bucketFloats the least number of floats per bucket
     * @param overlap      false sums everything after the backward, in the same buckets (to measure what overlap buys)
     */
    GradientReducer(RingAllReduce ring, int bucketFloats, boolean overlap) {
        if (bucketFloats < 1) {
            throw new IllegalArgumentException("a bucket holds at least one float, got " + bucketFloats);
        }
        this.ring = ring;
        this.bucketFloats = bucketFloats;
        this.overlap = overlap;
        this.reducer = ring.size() == 1 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gpt4j-gradient-reducer-" + ring.rank());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int rank() {
        return ring.rank();
    }

    @Override
    public int size() {
        return ring.size();
    }

    Stats stats() {
        return new Stats(steps, ring.bytesSent(), ring.nanos(), hiddenNanos, waitNanos);
    }

    /** How many buckets the gradients of {@code parameters} are cut into. */
    int bucketCount(Parameters parameters) {
        plan(parameters);
        return buckets.size();
    }

    @Override
    public void gradientsFinished(Parameters parameters, List<ParameterSpec> specs) {
        if (size() == 1 || !overlap) {
            return;
        }
        begin(parameters);
        for (ParameterSpec s : specs) {
            Integer b = bucketOf.get(s.name());
            if (b == null) {
                continue;   // not a parameter of this model (nothing to sum)
            }
            if (b < next) {
                throw new IllegalStateException(s.name() + " was finished after its bucket was summed");
            }
            unfinished[b]--;
        }
        while (next < buckets.size() && unfinished[next] == 0) {
            start(next++);
        }
    }

    @Override
    public double sum(Parameters parameters, double loss) {
        if (size() == 1) {
            return loss;
        }
        long t0 = System.nanoTime();
        begin(parameters);
        long hidden = ring.nanos() - busyAtBegin;   // the buckets summed while the backward went on
        while (next < buckets.size()) {
            start(next++);
        }
        IOException error = null;
        for (Future<?> f : inFlight) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (error == null) {
                    error = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = new IOException("interrupted while summing gradients", e);
                break;
            }
        }
        inFlight.clear();
        stepParameters = null;
        try {
            if (error != null) {
                throw error;
            }
            double total = ring.sum(loss);
            steps++;
            hiddenNanos += hidden;
            waitNanos += System.nanoTime() - t0;
            return total;
        } catch (IOException e) {
            throw failure("the gradient allreduce failed (a neighbour is gone or timed out)", e);
        }
    }

    @Override
    public double sum(double value) {
        if (!inFlight.isEmpty()) {
            throw new IllegalStateException("a value is summed while gradients are on the ring: call sum(parameters, loss) first");
        }
        try {
            return ring.sum(value);
        } catch (IOException e) {
            throw failure("summing a value over the replicas failed (a neighbour is gone or timed out)", e);
        }
    }

    /** Starts a step on {@code parameters}, or checks that it is the step's. */
    private void begin(Parameters parameters) {
        if (stepParameters == null) {
            plan(parameters);
            stepParameters = parameters;
            unfinished = new int[buckets.size()];
            for (int b = 0; b < buckets.size(); b++) {
                unfinished[b] = buckets.get(b).specs().size();
            }
            next = 0;
            failed = false;
            busyAtBegin = ring.nanos();
        } else if (stepParameters != parameters) {
            throw new IllegalStateException("gradients of another model were finished in the middle of a step");
        }
    }

    private void plan(Parameters parameters) {
        List<ParameterSpec> specs = parameters.specs();
        if (specs.equals(plannedFor)) {
            return;
        }
        List<Bucket> cut = new ArrayList<>();
        Map<String, Integer> of = new HashMap<>();
        List<ParameterSpec> open = new ArrayList<>();
        long floats = 0;
        for (int i = specs.size() - 1; i >= 0; i--) {
            ParameterSpec s = specs.get(i);
            open.add(s);
            of.put(s.name(), cut.size());
            floats += s.count();
            if (floats >= bucketFloats || i == 0) {
                cut.add(new Bucket(List.copyOf(open), Math.toIntExact(floats)));
                open.clear();
                floats = 0;
            }
        }
        buckets = List.copyOf(cut);
        bucketOf = of;
        plannedFor = List.copyOf(specs);
    }

    private void start(int b) {
        Bucket bucket = buckets.get(b);
        Parameters p = stepParameters;
        inFlight.add(reducer.submit(() -> {
            if (failed) {
                return null;   // the ring is broken: the first error is the one to report
            }
            try {
                reduce(p, bucket);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
            return null;
        }));
    }

    /** On the reducer thread: the bucket's gradients gathered, summed over the ring, and put back. */
    private void reduce(Parameters p, Bucket bucket) throws IOException {
        if (flat.length < bucket.floats()) {
            flat = new float[bucket.floats()];
        }
        int at = 0;
        for (ParameterSpec s : bucket.specs()) {
            float[] g = p.grad(s.name());
            System.arraycopy(g, 0, flat, at, g.length);
            at += g.length;
        }
        ring.allReduce(flat, at);
        at = 0;
        for (ParameterSpec s : bucket.specs()) {
            float[] g = p.grad(s.name());
            System.arraycopy(flat, at, g, 0, g.length);
            at += g.length;
        }
    }

    private UncheckedIOException failure(String what, IOException e) {
        return new UncheckedIOException("replica " + rank() + " of " + size() + ": " + what + ": " + e.getMessage(), e);
    }

    /** Stops the reducer thread (the ring is its owner's to close). */
    @Override
    public void close() {
        if (reducer != null) {
            reducer.shutdownNow();
        }
    }
}
