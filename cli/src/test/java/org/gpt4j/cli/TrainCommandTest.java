package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.train.Checkpoint;
import org.gpt4j.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code train} and {@code eval} contract: JSON lines, the run directory, the bigram baseline. */
class TrainCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** About 5,000 characters of text with structure (a few words in random order). */
    static Path corpus(Path dir) throws IOException {
        String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat. ", "we ", "saw ", "it.\n"};
        SplittableRandom rng = new SplittableRandom(2);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 5000) {
            sb.append(words[rng.nextInt(words.length)]);
        }
        return Files.writeString(dir.resolve("corpus.txt"), sb.toString());
    }

    /** The small model's flags; {@code extra} flags replace them or are added ("--json" alone is a switch). */
    static String[] trainArgs(Path data, Path out, String... extra) {
        java.util.LinkedHashMap<String, String> flags = new java.util.LinkedHashMap<>();
        String[] base = {"--data", data.toString(), "--tokenizer", "char", "--layers", "1", "--heads", "2", "--embd", "16",
            "--context", "16", "--batch", "4", "--steps", "4", "--warmup", "1", "--lr", "3e-3", "--eval-every", "2",
            "--eval-batches", "2", "--sample-tokens", "5", "--seed", "1", "--out", out.toString()};
        for (int i = 0; i < base.length; i += 2) {
            flags.put(base[i], base[i + 1]);
        }
        for (int i = 0; i < extra.length; i++) {
            boolean isSwitch = i + 1 >= extra.length || extra[i + 1].startsWith("--");
            flags.put(extra[i], isSwitch ? null : extra[++i]);
        }
        List<String> a = new ArrayList<>(List.of("train"));
        flags.forEach((k, v) -> {
            a.add(k);
            if (v != null) {
                a.add(v);
            }
        });
        return a.toArray(String[]::new);
    }

    @Test
    void jsonPrintsOneObjectPerEvaluationThenTheSummaryLast() throws Exception {
        Path data = corpus(tmp);
        Path out = tmp.resolve("run");
        Cli.Result r = Cli.run(trainArgs(data, out, "--json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().strip().lines().toList();
        assertThat(lines).hasSize(3);
        JsonNode eval = JSON.readTree(lines.get(0));
        assertThat(eval.get("step").asInt()).isEqualTo(2);
        assertThat(eval.get("val_loss").asDouble()).isPositive();
        assertThat(eval.get("sample").asText()).hasSize(6);
        JsonNode summary = JSON.readTree(lines.get(2));
        assertThat(summary.get("steps").asInt()).isEqualTo(4);
        assertThat(summary.get("val_loss").asDouble()).isEqualTo(JSON.readTree(lines.get(1)).get("val_loss").asDouble());
        assertThat(summary.get("train_loss").isNumber()).isTrue();
        assertThat(summary.get("tokens_per_second").asDouble()).isPositive();
        assertThat(summary.get("seconds").asDouble()).isPositive();
        assertThat(summary.get("stopped").asBoolean()).isFalse();

        for (String f : List.of("config.json", "model.safetensors", "char_vocab.json", "training_state.json",
                "training_state.safetensors", "metrics.jsonl", "tokens.bin", "best/model.safetensors", "best/char_vocab.json")) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        byte[] png = Files.readAllBytes(out.resolve(LossCurvePlot.FILE));
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");

        // The run directory is a model directory the other commands load.
        Cli.Result ev = Cli.run("eval", "--model", out.toString(), "--data", data.toString(), "--json");
        assertThat(ev.exitCode()).as(ev.err()).isZero();
        JsonNode e = JSON.readTree(ev.out());
        assertThat(e.get("perplexity").asDouble()).isCloseTo(Math.exp(e.get("loss").asDouble()), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(e.get("tokens").asInt()).isEqualTo(Files.readString(data).length() - 1);
        assertThat(e.get("weights").asText()).isEqualTo("f32");
        for (String format : List.of("bf16", "int8")) {
            Cli.Result compact = Cli.run("eval", "--model", out.toString(), "--data", data.toString(), "--json",
                    "--weights", format);
            assertThat(compact.exitCode()).as(compact.err()).isZero();
            JsonNode c = JSON.readTree(compact.out());
            assertThat(c.get("weights").asText()).isEqualTo(format);
            assertThat(c.get("loss").asDouble()).as(format).isCloseTo(e.get("loss").asDouble(), org.assertj.core.data.Offset.offset(0.05))
                    .isNotEqualTo(e.get("loss").asDouble());
        }
        Cli.Result badFormat = Cli.run("eval", "--model", out.toString(), "--data", data.toString(), "--weights", "fp8");
        assertThat(badFormat.exitCode()).isNotZero();
        assertThat(badFormat.err()).contains("unknown weight format 'fp8' (expected f32, bf16 or int8)");
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        Cli.Result emptyText = Cli.run("eval", "--model", out.toString(), "--data", empty.toString());
        assertThat(emptyText.exitCode()).isEqualTo(1);
        assertThat(emptyText.err()).isEqualToIgnoringNewLines("error: " + empty + " is empty: there is nothing to evaluate on");
        Cli.Result inspect = Cli.run("inspect", "--model", out.toString(), "--text", "the cat");
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
    }

    @Test
    void resumeContinuesAndTheMetricsReadAsOneRun() throws Exception {
        Path data = corpus(tmp);
        Path out = tmp.resolve("run");
        assertThat(Cli.run(trainArgs(data, out, "--steps", "2")).exitCode()).isZero();
        Cli.Result r = Cli.run("train", "--data", data.toString(), "--resume", out.toString(), "--steps", "4", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out().strip().lines().toList().getLast()).get("steps").asInt()).isEqualTo(4);
        assertThat(MetricsLog.read(out.resolve(MetricsLog.FILE)).stream()
                .filter(n -> n.get("type").asText().equals("step")).map(n -> n.get("step").asInt()).toList())
                .containsExactly(1, 2, 3, 4);
        assertThat(Cli.run("train", "--data", data.toString(), "--out", out.toString(), "--resume", "--steps", "4").err())
                .contains("already completed 4 of --steps 4");
    }

    @Test
    void stopAfterEndsTheInvocationMidScheduleAndResumeGivesTheUninterruptedLosses() throws Exception {
        Path data = corpus(tmp);
        Path straight = tmp.resolve("straight");
        assertThat(Cli.run(trainArgs(data, straight, "--steps", "6", "--sample-tokens", "0")).exitCode()).isZero();
        Path split = tmp.resolve("split");
        // Step 3 is not an evaluation step (--eval-every 2): the stop writes its own checkpoint.
        Cli.Result first = Cli.run(trainArgs(data, split, "--steps", "6", "--sample-tokens", "0", "--stop-after", "3"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("stopped after step 3; checkpoint saved in " + split);
        assertThat(Checkpoint.readState(split).step()).isEqualTo(3);

        Cli.Result late = Cli.run("train", "--resume", split.toString(), "--stop-after", "6");
        assertThat(late.exitCode()).isNotZero();
        assertThat(late.err()).contains("--stop-after 6 must lie after the run's current step (3) and before its last (6)");
        Cli.Result rest = Cli.run("train", "--resume", split.toString(), "--json");
        assertThat(rest.exitCode()).as(rest.err()).isZero();
        JsonNode summary = JSON.readTree(rest.out().strip().lines().toList().getLast());
        assertThat(summary.get("steps").asInt()).isEqualTo(6);
        assertThat(summary.get("stopped").asBoolean()).isFalse();
        assertThat(stepLosses(split)).hasSize(6).containsExactlyElementsOf(stepLosses(straight));
    }

    private static List<Double> stepLosses(Path run) throws IOException {
        return MetricsLog.read(run.resolve(MetricsLog.FILE)).stream().filter(n -> n.get("type").asText().equals("step"))
                .map(n -> n.get("loss").asDouble()).toList();
    }

    @Test
    void resumeWithoutDataReadsTheFilesTheRunRecorded() throws Exception {
        Path data = corpus(tmp);
        Path out = tmp.resolve("run");
        assertThat(Cli.run(trainArgs(data, out, "--steps", "2")).exitCode()).isZero();
        Cli.Result r = Cli.run("train", "--resume", out.toString(), "--steps", "4");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("data: " + data.toAbsolutePath() + " (recorded by the run)").contains("reused")
                .containsPattern("memory: [0-9.]+ [KMG]?B of activations for a batch of 4 x 16 tokens, [0-9.]+ [KMG]?B of"
                        + " weights, gradients and AdamW moments; the heap holds [0-9.]+ [MGT]B");
        assertThat(MetricsLog.read(out.resolve(MetricsLog.FILE)).stream()
                .filter(n -> n.get("type").asText().equals("step")).map(n -> n.get("step").asInt()).toList())
                .containsExactly(1, 2, 3, 4);
    }

    @Test
    void resumeWithoutDataNamesARecordedFileThatIsGone() throws Exception {
        Path data = corpus(tmp);
        Path out = tmp.resolve("run");
        assertThat(Cli.run(trainArgs(data, out, "--steps", "2")).exitCode()).isZero();
        Path moved = Files.move(data, tmp.resolve("moved.txt"));
        Cli.Result r = Cli.run("train", "--resume", out.toString(), "--steps", "4");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("was trained on " + data.toAbsolutePath() + ", which is gone").contains("give --data");
        // Given the moved file, it resumes, and records the new place for the next --resume.
        Cli.Result given = Cli.run("train", "--data", moved.toString(), "--resume", out.toString(), "--steps", "4");
        assertThat(given.exitCode()).as(given.err()).isZero();
        assertThat(Cli.run("train", "--resume", out.toString(), "--steps", "6").exitCode()).isZero();
    }

    @Test
    void trainingWithoutDataIsAnError() {
        Cli.Result r = Cli.run("train", "--out", tmp.resolve("x").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--data");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void dataAsAUriNeedsSparksFileSystems() {
        Cli.Result r = Cli.run("train", "--data", "hdfs://namenode:8020/corpus/books.txt", "--out", tmp.resolve("x").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--data hdfs://namenode:8020/corpus/books.txt is read through Spark's file systems")
                .contains("--spark");
        assertThat(tmp.resolve("x")).doesNotExist();
        // Without Spark on the class path, --spark says how to get it before anything is fetched.
        Cli.Result spark = Cli.run("train", "--data", "hdfs://namenode:8020/books.txt", "--spark", "local[1]", "--out",
                tmp.resolve("y").toString());
        assertThat(spark.exitCode()).isNotZero();
        assertThat(spark.err()).contains("gpt4j-spark jar");
        assertThat(tmp.resolve("y")).doesNotExist();
    }

    @Test
    void theBigramBaselineTrainsAndEvaluatesWithTheSameCommands() throws Exception {
        Path data = corpus(tmp);
        Path out = tmp.resolve("bigram");
        Cli.Result r = Cli.run("train", "--model", "bigram", "--data", data.toString(), "--out", out.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode s = JSON.readTree(r.out().strip().lines().toList().getLast());
        int vocab = (int) Files.readString(data).chars().distinct().count();
        assertThat(s.get("val_loss").asDouble()).isBetween(0.5, Math.log(vocab));
        assertThat(s.get("steps").asInt()).isZero();
        Cli.Result ev = Cli.run("eval", "--model", out.toString(), "--data", data.toString(), "--json");
        assertThat(ev.exitCode()).as(ev.err()).isZero();
        JsonNode e = JSON.readTree(ev.out());
        assertThat(e.get("model").asText()).isEqualTo("bigram");
        assertThat(e.get("loss").asDouble()).isBetween(0.5, Math.log(vocab));
        Cli.Result text = Cli.run("eval", "--model", out.toString(), "--data", data.toString());
        assertThat(text.out()).contains("perplexity").contains("bigram model");
        Cli.Result int8 = Cli.run("eval", "--model", out.toString(), "--data", data.toString(), "--weights", "int8");
        assertThat(int8.exitCode()).isEqualTo(1);
        assertThat(int8.err()).contains("--weights int8 applies to a GPT's weight matrices").contains("bigram model");
    }

    @Test
    void forceStartsOverKeepingOnlyWhatIsNotTheRuns() throws Exception {
        Path data = corpus(tmp);
        Path out = tmp.resolve("run");
        assertThat(Cli.run(trainArgs(data, out)).exitCode()).isZero();
        Files.writeString(out.resolve("notes.txt"), "mine");
        Cli.Result again = Cli.run(trainArgs(data, out));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a training run").contains("--force");

        Cli.Result forced = Cli.run(trainArgs(data, out, "--force", "--steps", "2", "--json"));
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        String[] lines = forced.out().strip().split("\n");
        assertThat(JSON.readTree(lines[lines.length - 1]).get("steps").asInt()).isEqualTo(2);
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
        // The 4-step run's metrics are gone: the new log ends at step 2.
        assertThat(MetricsLog.read(out.resolve(MetricsLog.FILE)))
                .allSatisfy(line -> assertThat(line.path("step").asInt()).isLessThanOrEqualTo(2));
    }
}
