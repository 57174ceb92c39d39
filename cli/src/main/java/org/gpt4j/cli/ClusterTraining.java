package org.gpt4j.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.gpt4j.train.Trainer;
import org.gpt4j.train.TrainingOptions;

/**
 * Where {@code train --spark} hands a prepared run directory: data-parallel training on a cluster.
 * The gpt4j-spark jar provides it (through {@link ServiceLoader}), so the gpt4j jar carries no
 * Spark and {@code train} reads the same flags, prepares the same run directory and prints the
 * same progress whether it trains in this process or on a cluster.
 */
public interface ClusterTraining {

    /**
     * Trains the run in {@code dir} from its current checkpoint to {@code options.steps()} on
     * {@code options.workers()} replicas, reporting rank 0's steps and evaluations to
     * {@code listener} as they are written; returns rank 0's summary.
     *
     * @param master the Spark master URL, or null for the one spark-submit configured
     */
    Trainer.Summary train(String master, Path dir, TrainingOptions options, Trainer.Listener listener) throws Exception;

    /**
     * Copies {@code source}, a file on one of the file systems the cluster reads ({@code hdfs://},
     * {@code s3a://}, {@code file://}, ...), to {@code target} on this machine: {@code --data}
     * given as a URI.
     *
     * @throws IOException with a message naming {@code source} when it cannot be read
     */
    void fetch(URI source, Path target) throws IOException;

    /** The implementation on the class path, or a clear error saying how to get it. */
    static ClusterTraining find() {
        return ServiceLoader.load(ClusterTraining.class).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "--spark needs the gpt4j-spark jar and Spark on the class path: run ./gpt4j train --spark ... from the"
                        + " checkout (it finds both), or spark-submit --class org.gpt4j.cli.Gpt4j gpt4j-spark.jar train"
                        + " --spark ..."));
    }
}
