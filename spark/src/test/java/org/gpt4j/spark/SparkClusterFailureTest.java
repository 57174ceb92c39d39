package org.gpt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.gpt4j.cli.SparkCli;
import org.gpt4j.train.Checkpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several executor JVMs: Spark's {@code local-cluster[2,1,1024]} (a master and two workers in this
 * JVM, each worker starting an executor process from the Maven jars). One executor is killed
 * (SIGKILL) once the first checkpoint is written; the barrier stage fails, the driver runs it
 * again on the executor the worker starts in its place, and the run finishes from its checkpoint
 * with the losses of an uninterrupted run.
 *
 * <p>Spark finds no SPARK_HOME/jars here: the surefire configuration sets SPARK_TESTING=1 (the
 * workers then start executors from the class path given) and SPARK_SCALA_VERSION=2.13.
 */
class SparkClusterFailureTest {

    @TempDir
    Path tmp;

    private final Map<String, String> conf = Map.of(
            "spark.executor.extraClassPath", System.getProperty("java.class.path"),
            "spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector -Dgpt4j.threads=1",
            "spark.home", System.getProperty("java.io.tmpdir"));

    @AfterEach
    void clearConf() {
        conf.keySet().forEach(System::clearProperty);
    }

    @Test
    void aKilledExecutorFailsTheStageAndTheRunFinishesFromItsCheckpoint() throws Exception {
        Path data = SparkTrainingTest.corpus(tmp);
        Path run = tmp.resolve("run");
        String[] args = SparkTrainingTest.train(data, run, "--steps", "30", "--eval-every", "10", "--embd", "64",
                "--context", "32", "--spark", "local-cluster[2,1,1024]", "--workers", "2");
        conf.forEach(System::setProperty);
        AtomicLong killedAt = new AtomicLong(-1);
        Thread killer = Thread.ofVirtual().start(() -> killAnExecutorAfterTheFirstCheckpoint(run, killedAt));
        SparkCli.Result r;
        try {
            r = SparkCli.run(args);
        } finally {
            killer.interrupt();
            killer.join();
        }
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(killedAt.get()).as("an executor was killed mid-run").isBetween(10L, 29L);
        assertThat(Checkpoint.readState(run).step()).isEqualTo(30);

        Path straight = tmp.resolve("straight");
        SparkCli.Result whole = SparkCli.run(SparkTrainingTest.train(data, straight, "--steps", "30", "--eval-every", "10",
                "--embd", "64", "--context", "32", "--grad-accum", "2"));
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        SparkTrainingTest.assertRelativelyClose(SparkTrainingTest.column(run, "step", "loss"),
                SparkTrainingTest.column(straight, "step", "loss"), 1e-5);
    }

    /** Waits for the checkpoint at step 10, then kills one executor process (a child of this JVM). */
    private static void killAnExecutorAfterTheFirstCheckpoint(Path run, AtomicLong killedAt) {
        try {
            while (true) {
                Thread.sleep(20);
                if (!Files.exists(run.resolve(Checkpoint.STATE_JSON))) {
                    continue;
                }
                long step;
                try {
                    step = Checkpoint.readState(run).step();
                } catch (Exception partlyWritten) {
                    continue;
                }
                if (step >= 10) {
                    // The workers' executor JVMs are this JVM's only child processes.
                    Optional<ProcessHandle> executor = ProcessHandle.current().children()
                            .filter(p -> p.info().command().orElse("").endsWith("java")).findFirst();
                    if (executor.isPresent()) {
                        executor.get().destroyForcibly();
                        killedAt.set(step);
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            // the run ended first: killedAt stays -1 and the test says so
        }
    }
}
