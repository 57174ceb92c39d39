package org.gpt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.cli.SparkCli;
import org.gpt4j.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --spark 'local[2]' --workers 2} on real Spark: the losses of one process with twice
 * the gradient accumulation, and a run directory {@code train} itself resumes from.
 */
class SparkTrainingTest {

    @TempDir
    Path tmp;

    /** About 6,000 characters of text with structure (a few words in random order). */
    static Path corpus(Path dir) throws IOException {
        String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat. ", "we ", "saw ", "it.\n"};
        SplittableRandom rng = new SplittableRandom(2);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 6000) {
            sb.append(words[rng.nextInt(words.length)]);
        }
        return Files.writeString(dir.resolve("corpus.txt"), sb.toString());
    }

    /** The small model's flags; {@code extra} flags ("--flag value") replace them or are added. */
    static String[] train(Path data, Path out, String... extra) {
        String[] base = {"--data", data.toString(), "--out", out.toString(), "--layers", "2", "--heads", "2", "--embd", "32",
            "--context", "16", "--batch", "8", "--steps", "6", "--warmup", "2", "--lr", "3e-3", "--dropout", "0.1",
            "--eval-every", "3", "--eval-batches", "2", "--sample-tokens", "4", "--seed", "5"};
        java.util.LinkedHashMap<String, String> flags = new java.util.LinkedHashMap<>();
        for (int i = 0; i < base.length; i += 2) {
            flags.put(base[i], base[i + 1]);
        }
        for (int i = 0; i < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        List<String> a = new ArrayList<>(List.of("train", "--json"));
        flags.forEach((k, v) -> a.addAll(List.of(k, v)));
        return a.toArray(String[]::new);
    }

    /**
     * Runs {@code run} with gradient buckets of 10 KiB (Spark reads {@code spark.*} system
     * properties), so that the small model's gradients are summed in a dozen buckets while its
     * backward goes on, as a large model's are.
     */
    static <T> T withSmallBuckets(java.util.function.Supplier<T> run) {
        System.setProperty(RingSettings.BUCKET_MB, "0.01");
        try {
            return run.get();
        } finally {
            System.clearProperty(RingSettings.BUCKET_MB);
        }
    }

    static List<Double> column(Path run, String type, String field) throws IOException {
        return MetricsLog.read(run.resolve(MetricsLog.FILE)).stream().filter(n -> n.path("type").asText().equals(type))
                .map(n -> n.path(field).asDouble()).toList();
    }

    static void assertRelativelyClose(List<Double> actual, List<Double> expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            double e = expected.get(i);
            assertThat(Math.abs(actual.get(i) - e)).as("value %d: %s vs %s", i, actual.get(i), e)
                    .isLessThanOrEqualTo(tolerance * Math.abs(e));
        }
    }

    @Test
    void twoWorkersGiveTheLossesOfOneProcessAccumulatingTwoMicroBatches() throws Exception {
        Path data = corpus(tmp);
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        SparkCli.Result single = SparkCli.run(train(data, one, "--grad-accum", "2"));
        assertThat(single.exitCode()).as(single.err()).isZero();
        SparkCli.Result spark = withSmallBuckets(() -> SparkCli.run(train(data, two, "--spark", "local[2]", "--workers", "2")));
        assertThat(spark.exitCode()).as(spark.err()).isZero();

        List<Double> expected = column(one, "step", "loss");
        assertThat(expected).hasSize(6);
        assertRelativelyClose(column(two, "step", "loss"), expected, 1e-5);
        assertRelativelyClose(column(two, "step", "grad_norm"), column(one, "step", "grad_norm"), 1e-4);
        assertRelativelyClose(column(two, "eval", "val_loss"), column(one, "eval", "val_loss"), 1e-5);

        // The same run directory as train writes: the summary line, the state, the tokens per step.
        List<String> lines = spark.out().strip().lines().toList();
        JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.getLast());
        assertThat(summary.get("steps").asInt()).isEqualTo(6);
        assertThat(summary.get("val_loss").asDouble()).isCloseTo(column(one, "eval", "val_loss").getLast(),
                org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(lines).hasSize(3); // two evaluations, then the summary
        for (String f : List.of("config.json", "model.safetensors", "char_vocab.json", "training_state.json", "loss.png",
                "best/model.safetensors")) {
            assertThat(two.resolve(f)).as(f).isRegularFile();
        }
        assertThat(Files.readString(two.resolve("training_state.json"))).contains("\"workers\" : \"2\"");
    }

    @Test
    void aSparkRunResumesOnSparkAndRefusesToResumeInOneProcess() throws Exception {
        Path data = corpus(tmp);
        Path run = tmp.resolve("run");
        SparkCli.Result first = SparkCli.run(train(data, run, "--steps", "3", "--spark", "local[2]", "--workers", "2"));
        assertThat(first.exitCode()).as(first.err()).isZero();

        SparkCli.Result alone = SparkCli.run("train", "--resume", run.toString(), "--steps", "6");
        assertThat(alone.exitCode()).isNotZero();
        assertThat(alone.err()).contains("2 Spark workers").contains("--spark");

        SparkCli.Result resumed = SparkCli.run("train", "--resume", run.toString(), "--steps", "6", "--spark", "local[2]");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        Path straight = tmp.resolve("straight");
        SparkCli.Result whole = SparkCli.run(train(data, straight, "--grad-accum", "2"));
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertRelativelyClose(column(run, "step", "loss"), column(straight, "step", "loss"), 1e-5);
    }

    @Test
    void dataGivenAsAUriIsFetchedThroughHadoopIntoTheRunAndResumedFromThere() throws Exception {
        Path data = corpus(tmp);
        Path run = tmp.resolve("run");
        String uri = data.toUri().toString();
        assertThat(uri).startsWith("file:/");
        SparkCli.Result missing = SparkCli.run(train(tmp.resolve("nothing.txt"), run, "--data", uri.replace("corpus",
                "nothing"), "--spark", "local[1]", "--workers", "1"));
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("nothing.txt: no such file");
        assertThat(run).as("nothing left behind").doesNotExist();

        SparkCli.Result first = SparkCli.run(train(data, run, "--data", uri, "--steps", "3", "--spark", "local[1]",
                "--workers", "1"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        Path copy = run.resolve("data").resolve("corpus.txt");
        assertThat(Files.mismatch(copy, data)).isEqualTo(-1L);

        // --resume reads the run's own copy; the losses are those of one process on the local file.
        SparkCli.Result resumed = SparkCli.run("train", "--resume", run.toString(), "--steps", "6", "--spark", "local[1]");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        Path straight = tmp.resolve("straight");
        SparkCli.Result whole = SparkCli.run(train(data, straight));
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertRelativelyClose(column(run, "step", "loss"), column(straight, "step", "loss"), 1e-5);
    }

    @Test
    void moreWorkersThanLocalSlotsIsAClearErrorNotAWait() throws Exception {
        Path data = corpus(tmp);
        SparkCli.Result r = SparkCli.run(train(data, tmp.resolve("run"), "--spark", "local[1]", "--workers", "2"));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--workers 2 needs 2 task slots").contains("local[2]");
    }
}
