package org.gpt4j.server.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * View g: a run directory's train and validation loss curves and its samples, read from the
 * {@code metrics.jsonl} the trainer appends to ({@code "type": "step"} lines with {@code loss},
 * {@code "eval"} lines with {@code train_loss}, {@code val_loss} and a {@code sample}; a fine-tuning
 * run's eval lines carry {@code dev_accuracy} instead of a validation loss), and a PPO run's
 * reward, KL, entropy and clip fraction ({@code rl ppo}'s {@code "ppo"} lines with their
 * {@code "sample"} responses; {@code rl cartpole}'s {@code "iteration"} lines, the reward being the
 * mean episodic return). The page polls while the file keeps growing; a line cut off mid-write is
 * skipped until it is whole.
 */
final class TrainingView {

    static final String METRICS = "metrics.jsonl";
    static final int CURVE_POINTS = 1000;
    static final int SAMPLES = 5;
    static final long MAX_BYTES = 64L << 20;
    /** A run whose log changed this recently is shown as in progress. */
    static final long RUNNING_MILLIS = 30_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    record StepPoint(long step, double loss) {
    }

    /** One evaluation: pre-training's losses, or a fine-tuning epoch's dev accuracy (null when absent). */
    record EvalPoint(long step, Double trainLoss, Double valLoss, Double devAccuracy) {
    }

    /**
     * One PPO update: the mean reward (a language model's mean reward-model score, CartPole's mean
     * return of the last 100 episodes), the KL to the reference policy (language models only), the
     * approximate KL between the old and the new policy, the policy's entropy and the share of
     * clipped ratios, and the two losses; null where the run does not log it.
     */
    record PpoPoint(long step, Double reward, Double kl, Double beta, Double approxKl, Double entropy,
                    Double clipFraction, Double valueLoss, Double policyLoss) {
    }

    /** A pre-training sample ({@code text}), or a PPO response to a prompt with its score. */
    record Sample(long step, String text, String prompt, Double score) {
        static Sample generated(long step, String text) {
            return new Sample(step, text, null, null);
        }
    }

    record Response(String run, boolean running, long updatedMillis, long lastStep, List<StepPoint> train,
                    List<EvalPoint> eval, List<PpoPoint> ppo, List<Sample> samples, String hint) {
    }

    private TrainingView() {
    }

    static Response of(Studio studio, Params p) {
        Path model = studio.modelDirectory();
        Optional<Path> run = p.has("run") ? Optional.of(Path.of(p.string("run", ""))) : defaultRun(studio);
        if (run.isEmpty()) {
            // Another run's curves would be mistaken for this model's: say there are none.
            String hint = model != null
                    ? "This model has no training history: " + model + " holds no " + METRICS + " (a model from "
                            + "./gpt4j init, or copied without its run). Type a run directory above to see its curves."
                    : "No training run found (a directory with " + METRICS + " under runs/). Start one with "
                            + "./gpt4j train --out runs/NAME and open this view while it runs.";
            return new Response(null, false, 0, 0, List.of(), List.of(), List.of(), List.of(), hint);
        }
        Path file = run.get().resolve(METRICS);
        if (!Files.isRegularFile(file)) {
            throw ApiError.notFound("no training run at " + run.get() + ": " + METRICS + " not found");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ApiError(413, file + " is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            long modified = Files.getLastModifiedTime(file).toMillis();
            return read(run.get(), Files.readAllLines(file, StandardCharsets.UTF_8), modified);
        } catch (IOException e) {
            throw ApiError.badRequest("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Response read(Path run, List<String> lines, long modified) {
        List<StepPoint> steps = new ArrayList<>();
        List<EvalPoint> evals = new ArrayList<>();
        List<PpoPoint> ppo = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : lines) {
            JsonNode n = parse(line);
            if (n == null || !n.path("step").canConvertToLong()) {
                continue;
            }
            long step = n.path("step").asLong();
            String type = n.path("type").asText("");
            if (type.equals("step") && n.path("loss").isNumber()) {
                steps.add(new StepPoint(step, n.path("loss").asDouble()));
            } else if (type.equals("eval")) {
                evals.add(new EvalPoint(step, number(n, "train_loss"), number(n, "val_loss"), number(n, "dev_accuracy")));
                if (n.path("sample").isTextual()) {
                    samples.add(Sample.generated(step, n.path("sample").asText()));
                }
            } else if (type.equals("ppo")) {
                ppo.add(new PpoPoint(step, number(n, "score"), number(n, "kl"), number(n, "beta"), number(n, "approx_kl"),
                        number(n, "entropy"), number(n, "clip_fraction"), number(n, "value_loss"),
                        number(n, "policy_loss")));
            } else if (type.equals("iteration")) {
                ppo.add(new PpoPoint(step, number(n, "mean_return"), null, null, number(n, "approx_kl"),
                        number(n, "entropy"), number(n, "clip_fraction"), number(n, "value_loss"),
                        number(n, "policy_loss")));
            } else if (type.equals("sample") && n.path("response").isTextual()) {
                samples.add(new Sample(step, n.path("response").asText(), n.path("prompt").asText(""), number(n, "score")));
            }
        }
        long lastStep = Math.max(Math.max(steps.isEmpty() ? 0 : steps.getLast().step(),
                evals.isEmpty() ? 0 : evals.getLast().step()), ppo.isEmpty() ? 0 : ppo.getLast().step());
        boolean running = System.currentTimeMillis() - modified < RUNNING_MILLIS;
        List<Sample> recent = samples.subList(Math.max(0, samples.size() - SAMPLES), samples.size()).reversed();
        return new Response(run.toAbsolutePath().normalize().toString(), running, modified, lastStep, thin(steps),
                evals, thin(ppo), List.copyOf(recent), null);
    }

    /** Every k-th point (and the last), so a long run's curve stays a few thousand numbers. */
    private static <T> List<T> thin(List<T> steps) {
        if (steps.size() <= CURVE_POINTS) {
            return steps;
        }
        int k = (steps.size() + CURVE_POINTS - 1) / CURVE_POINTS;
        List<T> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i += k) {
            out.add(steps.get(i));
        }
        if (!out.getLast().equals(steps.getLast())) {
            out.add(steps.getLast());
        }
        return out;
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null; // a line still being written, or cut off by a crash
        }
    }

    private static Double number(JsonNode n, String field) {
        return n.path(field).isNumber() ? n.path(field).asDouble() : null;
    }

    /** The shown model's own run (or the run it is the best checkpoint of); with no model shown, the newest run. */
    private static Optional<Path> defaultRun(Studio studio) {
        Path model = studio.modelDirectory();
        if (model != null) {
            Path parent = model.getParent() == null ? model : model.getParent();
            for (Path d = model; d != null && d.startsWith(parent); d = d.getParent()) {
                if (Files.isRegularFile(d.resolve(METRICS))) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }
        Path runs = studio.workingDirectory().resolve(ModelFinder.RUNS);
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        try (Stream<Path> found = Files.walk(runs, 3)) {
            return found.filter(d -> Files.isRegularFile(d.resolve(METRICS)))
                    .max(java.util.Comparator.comparingLong(d -> modified(d.resolve(METRICS))));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
