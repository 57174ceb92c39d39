package org.gpt4j.spark;

import java.io.Serializable;
import org.apache.spark.SparkConf;

/**
 * How the replicas' ring behaves, read by the driver from Spark's configuration and sent to every
 * task:
 * <ul>
 *   <li>{@code spark.gpt4j.allreduceTimeout} (30min): how long a replica waits for its neighbour
 *       (replica 0's evaluations included) before it fails the stage;</li>
 *   <li>{@code spark.gpt4j.bucketMB} (4): the least size of a gradient bucket, in MiB of f32
 *       gradients; smaller buckets start summing sooner, each costs the ring's latency;</li>
 *   <li>{@code spark.gpt4j.overlap} (true): sum the buckets while the backward pass goes on;
 *       false waits for the whole backward (for measuring what overlap buys).</li>
 * </ul>
 */
record RingSettings(int timeoutMillis, int bucketFloats, boolean overlap) implements Serializable {

    static final String TIMEOUT = "spark.gpt4j.allreduceTimeout";
    static final String BUCKET_MB = "spark.gpt4j.bucketMB";
    static final String OVERLAP = "spark.gpt4j.overlap";

    RingSettings {
        if (timeoutMillis < 1) {
            throw new IllegalArgumentException(TIMEOUT + " must be positive, got " + timeoutMillis + " ms");
        }
        if (bucketFloats < 1) {
            throw new IllegalArgumentException(BUCKET_MB + " must be positive");
        }
    }

    /** The settings in {@code conf}; a value out of range or not understood is one error naming its key. */
    static RingSettings of(SparkConf conf) {
        String mbText = conf.get(BUCKET_MB, String.valueOf(GradientReducer.DEFAULT_BUCKET_FLOATS * Float.BYTES >> 20)).strip();
        double mb;
        try {
            mb = Double.parseDouble(mbText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BUCKET_MB + " must be a number of MiB, got '" + mbText + "'");
        }
        if (!(mb > 0) || mb > 2048) {
            throw new IllegalArgumentException(BUCKET_MB + " must be in (0, 2048] MiB, got " + mbText);
        }
        String timeout = conf.get(TIMEOUT, "30min").strip();
        long millis;
        try {
            millis = conf.getTimeAsMs(TIMEOUT, "30min");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIMEOUT + " must be a duration such as 90s or 30min, got '" + timeout + "'");
        }
        if (millis < 1 || millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(TIMEOUT + " must be between 1 ms and 24 days, got " + timeout);
        }
        String overlap = conf.get(OVERLAP, "true").strip();
        if (!overlap.equalsIgnoreCase("true") && !overlap.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(OVERLAP + " must be true or false, got '" + overlap + "'");
        }
        return new RingSettings((int) millis, (int) Math.max(1, Math.round(mb * (1 << 20) / Float.BYTES)),
                Boolean.parseBoolean(overlap));
    }

    GradientReducer reducer(RingAllReduce ring) {
        return new GradientReducer(ring, bucketFloats, overlap);
    }
}
