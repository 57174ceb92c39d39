package org.gpt4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.server.studio.Studio;
import org.gpt4j.server.studio.StudioApi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The studio's responsiveness target: one view update for a new 128-token input on a ~10M
 * parameter model (nanoGPT's Shakespeare size: 6 layers, 6 heads, 384 wide, context 256, 65
 * characters: 10.7M parameters), as the browser sees it minus the loopback hop: the traced
 * forward pass(es), the view's own work, and the JSON. Each call alternates between two inputs,
 * so the studio's per-input cache never answers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StudioViewBenchmark {

    static final int T = 128;

    @Param({"tokens", "architecture", "attention", "positions", "embeddings-pca", "embeddings-tsne", "generation"})
    public String view;

    private StudioApi api;
    private final String[] inputs = new String[2];
    private int next;

    @Setup
    public void setUp() throws IOException {
        GptConfig config = GptConfig.gpt2(6, 6, 384, 256, 65);
        Path dir = Files.createTempDirectory("gpt4j-studio-bench");
        ModelDirectory.save(GptInit.randomGpt(config, 1337), dir);
        System.out.printf("model: %,d parameters; input: %d tokens%n", ParameterLayout.of(config).totalCount(), T);
        api = new StudioApi(Studio.open(dir));
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < inputs.length; i++) {
            StringBuilder ids = new StringBuilder();
            for (int t = 0; t < T; t++) {
                ids.append(t == 0 ? "" : ",").append(rng.nextInt(65));
            }
            inputs[i] = "tokens=" + ids;
        }
    }

    @Benchmark
    public int update() {
        String input = inputs[next++ & 1];
        StudioApi.Reply r = switch (view) {
            case "embeddings-pca" -> api.handle("GET", "/api/embeddings", input + "&layer=3&method=pca", null);
            case "embeddings-tsne" -> api.handle("GET", "/api/embeddings", input + "&layer=3&method=tsne", null);
            case "attention" -> api.handle("GET", "/api/attention", input + "&layer=2&head=3", null);
            case "generation" -> api.handle("GET", "/api/generation", input + "&steps=10", null);
            default -> api.handle("GET", "/api/" + view, input, null);
        };
        if (r.status() != 200) {
            throw new IllegalStateException(r.text());
        }
        return r.body().length;
    }
}
