package org.gpt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gpt4j.spark.SparkTrainingTest.assertRelativelyClose;
import static org.gpt4j.spark.SparkTrainingTest.column;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.cli.SparkCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --arch bert --spark 'local[2]' --workers 2} on real Spark: BERT's masked-LM +
 * next-sentence pre-training gives the losses of one process with twice the gradient accumulation
 * (the same pairs, masks and dropout, summed in another order), and its run resumes on Spark.
 */
class SparkBertTrainingTest {

    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "the", "man", "went", "to", "store", ".", "a", "dog", "ran", "home", "cat");

    @TempDir
    Path tmp;

    /** Twelve documents of five short sentences, separated by blank lines, and the vocab.txt they need. */
    private Path corpus() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder text = new StringBuilder();
        for (int d = 0; d < 12; d++) {
            for (int s = 0; s < 5; s++) {
                int n = 3 + rng.nextInt(4);
                for (int w = 0; w < n; w++) {
                    text.append(VOCAB.get(5 + rng.nextInt(VOCAB.size() - 6))).append(' ');
                }
                text.append(".\n");
            }
            text.append('\n');
        }
        Files.createDirectories(tmp.resolve("vocab"));
        Files.write(tmp.resolve("vocab/vocab.txt"), VOCAB);
        return Files.writeString(tmp.resolve("documents.txt"), text);
    }

    private String[] train(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--json", "--arch", "bert", "--data", data.toString(), "--out",
                out.toString(), "--tokenizer", tmp.resolve("vocab").toString(), "--layers", "1", "--heads", "2", "--embd", "16",
                "--context", "32", "--batch", "4", "--steps", "4", "--warmup", "1", "--lr", "3e-3", "--dropout", "0.1",
                "--eval-every", "2", "--eval-batches", "2", "--seed", "5"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void twoWorkersOfTwoMicroBatchesGiveTheLossesOfOneProcessAccumulatingFour() throws Exception {
        Path data = corpus();
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        SparkCli.Result single = SparkCli.run(train(data, one, "--grad-accum", "4"));
        assertThat(single.exitCode()).as(single.err()).isZero();
        // Each worker's buckets are summed during its second backward, never its first.
        SparkCli.Result spark = SparkTrainingTest.withSmallBuckets(
                () -> SparkCli.run(train(data, two, "--spark", "local[2]", "--workers", "2", "--grad-accum", "2")));
        assertThat(spark.exitCode()).as(spark.err()).isZero();

        List<Double> expected = column(one, "step", "loss");
        assertThat(expected).hasSize(4);
        assertRelativelyClose(column(two, "step", "loss"), expected, 1e-5);
        assertRelativelyClose(column(two, "step", "mlm_loss"), column(one, "step", "mlm_loss"), 1e-5);
        assertRelativelyClose(column(two, "step", "nsp_loss"), column(one, "step", "nsp_loss"), 1e-5);
        assertRelativelyClose(column(two, "eval", "val_mlm_loss"), column(one, "eval", "val_mlm_loss"), 1e-5);

        // The driver prints replica 0's evaluations and the summary as one process does.
        List<String> lines = spark.out().strip().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).hasSize(3);
        JsonNode summary = new ObjectMapper().readTree(lines.getLast());
        assertThat(summary.get("steps").asInt()).isEqualTo(4);
        assertThat(summary.get("val_mlm_loss").asDouble()).isCloseTo(column(one, "eval", "val_mlm_loss").getLast(),
                org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(summary.has("mlm_accuracy")).isTrue();
        for (String f : List.of("config.json", "model.safetensors", "vocab.txt", "pretraining.json", "training_state.json",
                "best/model.safetensors")) {
            assertThat(two.resolve(f)).as(f).isRegularFile();
        }
        assertThat(Files.readString(two.resolve("training_state.json"))).contains("\"workers\" : \"2\"");

        SparkCli.Result resumed = SparkCli.run("train", "--resume", two.toString(), "--steps", "6", "--spark", "local[2]");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(column(two, "step", "loss")).hasSize(6);
    }
}
