package org.gpt4j.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.gpt4j.cli.ClusterTraining;
import org.gpt4j.train.Checkpoint;
import org.gpt4j.train.Trainer;
import org.gpt4j.train.TrainingDivergedException;
import org.gpt4j.train.TrainingOptions;
import scala.reflect.ClassTag$;

/**
 * The driver of {@code train --spark}: one barrier stage of {@code workers} tasks
 * ({@link ReplicaTask}), all started together, each a replica of the model. When a task fails
 * (an executor lost, a replica's error) the barrier fails the whole stage, since the others could
 * never finish their allreduce; Spark does not retry a failed barrier result stage, so the driver
 * runs the stage again, and the new replicas resume from the last checkpoint replica 0 wrote, with
 * the same losses an uninterrupted run has. It gives up after
 * {@code spark.gpt4j.maxAttempts} (4, Spark's own number of stage attempts) attempts in a row
 * without a new checkpoint.
 */
public final class SparkTraining implements ClusterTraining {

    static final String MAX_ATTEMPTS = "spark.gpt4j.maxAttempts";

    private final PrintStream log;

    /** For the ServiceLoader: notes go to standard error. */
    public SparkTraining() {
        this(System.err);
    }

    SparkTraining(PrintStream log) {
        this.log = log;
    }

    @Override
    public Trainer.Summary train(String master, Path dir, TrainingOptions options, Trainer.Listener listener)
            throws Exception {
        SparkConf conf = new SparkConf().setAppName("gpt4j train " + dir.toAbsolutePath().getFileName());
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark without MASTER takes the master from spark-submit; outside it"
                    + " give one: --spark 'local[2]' or --spark spark://HOST:7077");
        }
        // A barrier stage waits for free slots for all its tasks (after a lost executor, for the
        // one started in its place): ask every 2 s rather than 15, for up to 10 minutes.
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "2s");
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "300");
        RingSettings ring = RingSettings.of(conf);
        int maxAttempts = conf.getInt(MAX_ATTEMPTS, 4);
        int workers = options.workers();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel(conf.get("spark.gpt4j.logLevel", "WARN"));
            // A barrier stage needs a slot per task at once: local[N] never has more than N.
            if (sc.isLocal() && workers > sc.defaultParallelism()) {
                throw new IllegalArgumentException("--workers " + workers + " needs " + workers + " task slots at once;"
                        + " the master " + sc.master() + " has " + sc.defaultParallelism() + ": use local[" + workers + "]");
            }
            long from = Checkpoint.readState(dir).step();
            ReplicaResult result;
            try (MetricsFollower follower = new MetricsFollower(dir, from, options.steps(), listener)) {
                result = attempts(sc, dir, options, ring, maxAttempts);
            }
            note(result, workers);
            return result.summary();
        }
    }

    /**
     * Reads {@code source} through Hadoop's file systems, configured as Spark configures them
     * (every {@code spark.hadoop.*} property of this JVM's Spark configuration, e.g. from
     * spark-submit's {@code --conf}), so {@code --data} reads what the cluster's jobs read.
     */
    @Override
    public void fetch(URI source, Path target) throws IOException {
        Configuration hadoop = new Configuration();
        for (scala.Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
            hadoop.set(kv._1(), kv._2());
        }
        try (FileSystem fs = FileSystem.newInstance(source, hadoop);
             InputStream in = fs.open(new org.apache.hadoop.fs.Path(source))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileNotFoundException e) {
            throw new IOException("--data " + source + ": no such file", e);
        } catch (UnsupportedFileSystemException e) {
            throw new IOException("--data " + source + ": no Hadoop file system for the scheme '" + source.getScheme()
                    + "' on the class path (s3a:// needs hadoop-aws beside Spark)", e);
        } catch (IOException e) {
            throw new IOException("--data " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A scheme Hadoop knows but whose file system is not on the class path (s3a without hadoop-aws)
            if (e.getCause() instanceof ClassNotFoundException c) {
                throw new IOException("--data " + source + ": the file system for '" + source.getScheme() + "' is not on"
                        + " the class path (" + c.getMessage() + "; s3a:// needs hadoop-aws beside Spark)", e);
            }
            throw e;
        }
    }

    /** Runs the barrier stage until it completes, each attempt from the last checkpoint. */
    private ReplicaResult attempts(JavaSparkContext sc, Path dir, TrainingOptions options, RingSettings ring,
            int maxAttempts) throws Exception {
        int workers = options.workers();
        int failures = 0;
        while (true) {
            Checkpoint.recover(dir);
            long start = Checkpoint.readState(dir).step();
            try {
                return runStage(sc, dir, options, workers, ring);
            } catch (Exception e) {
                long reached = Checkpoint.readState(dir).step();
                failures = reached > start ? 1 : failures + 1;
                String why = String.valueOf(e.getMessage());
                if (why.contains(TrainingDivergedException.class.getName()) || why.contains("IllegalArgumentException")) {
                    // A diverged run or bad input fails the same way every time: no second attempt.
                    throw new IllegalStateException("training on " + workers + " Spark workers stopped: "
                            + rootMessage(e) + "; the last checkpoint (step " + reached + ") is kept in " + dir, e);
                }
                if (failures >= maxAttempts) {
                    throw new IllegalStateException("training on " + workers + " Spark workers failed " + failures
                            + " times in a row; the last checkpoint (step " + reached + ") is kept in " + dir
                            + ": continue with --resume " + dir + ". Last failure: " + rootMessage(e), e);
                }
                log.printf(Locale.ROOT, "gpt4j: the barrier stage failed (%s); resuming from the checkpoint at"
                        + " step %d%n", rootMessage(e), reached);
            }
        }
    }

    private static ReplicaResult runStage(JavaSparkContext sc, Path dir, TrainingOptions options, int workers,
            RingSettings ring) {
        List<Integer> ranks = IntStream.range(0, workers).boxed().toList();
        RDD<ReplicaResult> stage = sc.parallelize(ranks, workers).rdd().barrier()
                .mapPartitions(new ReplicaTask(dir, options, ring), false,
                        ClassTag$.MODULE$.apply(ReplicaResult.class));
        List<ReplicaResult> results = stage.toJavaRDD().collect();
        if (results.size() != 1) {
            throw new IllegalStateException("expected replica 0's summary, got " + results.size() + " results");
        }
        return results.get(0);
    }

    private void note(ReplicaResult r, int workers) {
        GradientReducer.Stats s = r.ring();
        if (s.steps() > 0) {
            log.printf(Locale.ROOT, "gpt4j: %d workers; allreduce %.1f MB sent per replica per step, %.1f ms per step,"
                    + " %.1f ms of it during the backward; %.1f ms per step waiting for it after the backward (replica 0,"
                    + " %d steps)%n", workers, s.bytesPerStep() / 1e6, s.busySecondsPerStep() * 1e3,
                    s.hiddenSecondsPerStep() * 1e3, s.waitSecondsPerStep() * 1e3, s.steps());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int cut = m.indexOf('\n');
        return (cut < 0 ? m : m.substring(0, cut)) + (t != e && t.getMessage() != null ? " (" + t.getMessage() + ")" : "");
    }
}
