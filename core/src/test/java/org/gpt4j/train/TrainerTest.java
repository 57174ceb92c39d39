package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training loop: exact resume, Ctrl-C, divergence, and checkpoints that are never half-written. */
class TrainerTest {

    static final int VOCAB = 12;

    /** A tiny model with dropout on and gradient accumulation, so resume must restore both. */
    static final TrainingOptions OPTIONS = TrainingOptions.DEFAULTS.with(Map.ofEntries(
            Map.entry("layers", "2"), Map.entry("heads", "2"), Map.entry("embd", "16"), Map.entry("context", "12"),
            Map.entry("batch", "3"), Map.entry("grad-accum", "2"), Map.entry("steps", "6"), Map.entry("lr", "0.01"),
            Map.entry("min-lr", "0.001"), Map.entry("warmup", "2"), Map.entry("dropout", "0.1"),
            Map.entry("eval-every", "3"), Map.entry("eval-batches", "2"), Map.entry("seed", "7"),
            Map.entry("sample-tokens", "4")));

    @TempDir
    Path tmp;

    /** A corpus with structure to learn: a noisy counting pattern. */
    static TokenDataset corpus() {
        SplittableRandom rng = new SplittableRandom(3);
        int[] ids = new int[2000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(10) == 0 ? rng.nextInt(VOCAB) : (i % 5) * 2;
        }
        return TokenDataset.of(TokenSequence.of(ids));
    }

    static Trainer fresh(Path dir) {
        Gpt gpt = GptInit.randomGpt(OPTIONS.modelConfig(VOCAB), 11);
        return RunDirectory.start(dir, OPTIONS, gpt, corpus(), Arrays::toString, d -> { });
    }

    /** Records every step's loss and every evaluation; optionally asks for a stop after one step. */
    static final class Recorder implements Trainer.Listener {
        final List<Double> losses = new ArrayList<>();
        final List<Double> valLosses = new ArrayList<>();
        Trainer trainer;
        long stopAfter = -1;

        @Override
        public void onStep(Trainer.StepReport r) {
            losses.add(r.loss());
            if (r.step() == stopAfter) {
                trainer.requestStop();
            }
        }

        @Override
        public void onEvaluation(Trainer.EvalReport r) {
            valLosses.add(r.valLoss());
        }
    }

    @ParameterizedTest(name = "stopped after step {0}")
    @ValueSource(ints = {3, 4})
    void resumeContinuesWithIdenticalLosses(int stopAfter) throws IOException {
        Recorder straight = new Recorder();
        Trainer.Summary full = fresh(tmp.resolve("straight")).run(straight);
        assertThat(full.steps()).isEqualTo(6);
        assertThat(straight.losses).hasSize(6);

        Path dir = tmp.resolve("interrupted");
        Recorder first = new Recorder();
        first.trainer = fresh(dir);
        first.stopAfter = stopAfter;
        Trainer.Summary part = first.trainer.run(first);
        assertThat(part.stopped()).isTrue();
        assertThat(part.steps()).isEqualTo(stopAfter);

        Recorder second = new Recorder();
        TrainingState state = RunDirectory.resumableState(dir, Map.of());
        Trainer.Summary rest = RunDirectory.resume(dir, state, corpus(), Arrays::toString, d -> { }).run(second);
        assertThat(rest.steps()).isEqualTo(6);

        List<Double> resumed = new ArrayList<>(first.losses);
        resumed.addAll(second.losses);
        System.out.println("resume identity (stop after " + stopAfter + "): straight " + straight.losses
                + " resumed " + resumed);
        assertThat(resumed).containsExactlyElementsOf(straight.losses);
        assertThat(rest.valLoss()).isEqualTo(full.valLoss());
        assertThat(ModelDirectory.load(dir).parameters().data("wte.weight"))
                .containsExactly(ModelDirectory.load(tmp.resolve("straight")).parameters().data("wte.weight"));
        // The metrics log reads as one uninterrupted run.
        assertThat(MetricsLog.read(dir.resolve(MetricsLog.FILE)).stream()
                .filter(n -> n.get("type").asText().equals("step")).map(n -> n.get("step").asLong()).toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void trainingLowersTheLossAndWritesLastAndBestCheckpoints() throws IOException {
        Path dir = tmp.resolve("run");
        Recorder r = new Recorder();
        Trainer.Summary s = fresh(dir).run(r);
        assertThat(r.losses.get(5)).isLessThan(r.losses.get(0));
        assertThat(s.valLoss()).isLessThan(Math.log(VOCAB));
        assertThat(s.tokensPerSecond()).isPositive();
        for (String f : List.of("config.json", "model.safetensors", Checkpoint.STATE_JSON, Checkpoint.STATE_TENSORS,
                MetricsLog.FILE, "best/config.json", "best/model.safetensors")) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
        assertThat(dir.resolve(Checkpoint.STAGING)).doesNotExist();
        assertThat(Checkpoint.readState(dir).step()).isEqualTo(6);
        assertThat(Checkpoint.readState(dir).bestValLoss()).isEqualTo(r.valLosses.stream().mapToDouble(d -> d).min().orElseThrow());
    }

    @Test
    void aFreshRunRefusesADirectoryHoldingARun() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 1);
        assertThatThrownBy(() -> fresh(dir)).hasMessageContaining("already holds a training run").hasMessageContaining("--resume");
    }

    @Test
    void resumeRefusesOtherSettingsNamingTheFlag() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 2);
        assertThatThrownBy(() -> RunDirectory.resumableState(dir, Map.of("layers", "3", "lr", "0.01")))
                .hasMessageContaining("--layers 3 (the run used 2)").hasMessageNotContaining("--lr");
        assertThatThrownBy(() -> RunDirectory.resumableState(tmp, Map.of()))
                .hasMessageContaining(Checkpoint.STATE_JSON).hasMessageContaining("no training state");
        TrainingState state = RunDirectory.resumableState(dir, Map.of());
        assertThatThrownBy(() -> RunDirectory.resume(dir, state, TokenDataset.prepare(List.of(Files.writeString(tmp.resolve("c.txt"), "x".repeat(400))),
                        s -> new int[s.length()], new byte[0], VOCAB, tmp.resolve("t.bin")), Arrays::toString, d -> { }))
                .hasMessageContaining("this run was trained on a different corpus");
    }

    @Test
    void aNonFiniteLossStopsNamingTheStepAndKeepsTheLastCheckpoint() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 3);
        // Poison the checkpoint with weights too large to compute with (a NaN weight is refused when
        // loaded): the next step's loss overflows.
        Path checkpoint = Checkpoint.current(dir);
        Gpt poisoned = ModelDirectory.load(checkpoint);
        Arrays.fill(poisoned.parameters().data("h.0.mlp.c_fc.weight"), Float.MAX_VALUE);
        ModelDirectory.save(poisoned, checkpoint);
        Map<String, byte[]> before = snapshot(dir);

        TrainingState state = RunDirectory.resumableState(dir, Map.of());
        Trainer t = RunDirectory.resume(dir, state, corpus(), Arrays::toString, d -> { });
        assertThatThrownBy(() -> t.run(new Recorder()))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("at step 4").hasMessageMatching(".*(NaN|Infinity).*")
                .hasMessageContaining("(step 3) is kept");
        Map<String, byte[]> after = snapshot(dir);
        before.forEach((f, bytes) -> assertThat(after.get(f)).as(f).isEqualTo(bytes));
    }

    @Test
    void aFailedCheckpointWriteLeavesThePreviousCheckpointWhole() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 3);
        Map<String, byte[]> before = snapshot(dir);
        // Something in the way of the last file the save would place (the commit marker).
        Path blocker = dir.resolve(Checkpoint.STATE_JSON);
        Path moved = dir.resolve("state.bak");
        Files.move(blocker, moved);
        Files.createDirectories(blocker.resolve("x"));

        Gpt gpt = ModelDirectory.load(dir);
        AdamW adamw = new AdamW(gpt.parameters(), 0.9, 0.99, 1e-8, 0.1);
        TrainingState state = new TrainingState(9, OPTIONS, Double.NaN, -1, "");
        assertThatThrownBy(() -> Checkpoint.save(dir, gpt, adamw, state))
                .isInstanceOf(IOException.class).hasMessageContaining(Checkpoint.STATE_JSON);

        for (String f : List.of("model.safetensors", "config.json", Checkpoint.STATE_TENSORS)) {
            assertThat(Files.readAllBytes(dir.resolve(f))).as(f).isEqualTo(before.get(f));
        }
        assertThat(dir.resolve(Checkpoint.STAGING)).doesNotExist();
    }

    private static void stopAfter(Path dir, int step) throws IOException {
        Recorder r = new Recorder();
        r.trainer = fresh(dir);
        r.stopAfter = step;
        r.trainer.run(r);
    }

    /** Every regular file under dir and its bytes. */
    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
