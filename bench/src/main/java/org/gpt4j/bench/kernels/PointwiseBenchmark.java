package org.gpt4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gpt4j.tensor.ActivationKernels;
import org.gpt4j.tensor.OptimizerKernels;
import org.gpt4j.tensor.CrossEntropyKernel;
import org.gpt4j.tensor.LayerNormKernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory-bound kernels at GPT-2 124M's training shape (B=4 x T=64, C=768, V=50257): LayerNorm,
 * GELU (tanh form), cross-entropy over the vocabulary, and AdamW over the 38.6M-weight wte.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class PointwiseBenchmark {

    static final int ROWS = 256;
    static final int C = 768;
    static final int V = 50257;

    float[] x;
    float[] y;
    float[] dx;
    float[] w;
    float[] b;
    float[] mean = new float[ROWS];
    float[] rstd = new float[ROWS];
    float[] hidden;
    float[] hiddenOut;
    float[] logits;
    float[] dlogits;
    float[] losses = new float[ROWS];
    int[] targets;
    float[] wte;
    float[] grad;
    float[] m;
    float[] v;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(3);
        x = MatmulBenchmark.random(ROWS * C, rng);
        y = new float[ROWS * C];
        dx = new float[ROWS * C];
        w = MatmulBenchmark.random(C, rng);
        b = MatmulBenchmark.random(C, rng);
        hidden = MatmulBenchmark.random(ROWS * 4 * C, rng);
        hiddenOut = new float[ROWS * 4 * C];
        logits = MatmulBenchmark.random(ROWS * V, rng);
        dlogits = new float[ROWS * V];
        targets = rng.ints(ROWS, 0, V).toArray();
        wte = MatmulBenchmark.random(V * C, rng);
        grad = MatmulBenchmark.random(V * C, rng);
        m = new float[V * C];
        v = new float[V * C];
    }

    @Benchmark
    public float[] layerNormForward() {
        LayerNormKernel.forward(y, mean, rstd, x, w, b, ROWS, C, 1e-5f);
        return y;
    }

    @Benchmark
    public float[] layerNormBackward() {
        LayerNormKernel.backward(dx, null, null, x, x, w, mean, rstd, ROWS, C);
        return dx;
    }

    @Benchmark
    public float[] geluForward() {
        ActivationKernels.geluTanhForward(hiddenOut, hidden, hidden.length);
        return hiddenOut;
    }

    @Benchmark
    public float[] geluBackward() {
        ActivationKernels.geluTanhBackward(hiddenOut, hidden, hidden, hidden.length);
        return hiddenOut;
    }

    @Benchmark
    public float[] crossEntropyForwardBackward() {
        int counted = CrossEntropyKernel.forward(losses, logits, targets, ROWS, V);
        CrossEntropyKernel.backward(dlogits, logits, losses, targets, ROWS, V, 1f / counted);
        return dlogits;
    }

    @Benchmark
    public float[] adamW() {
        // Step 10's bias corrections, as in a run under way.
        OptimizerKernels.adamw(wte, grad, m, v, wte.length, 1e-4, 0.9, 0.95, 1e-8, 0.1,
                1 - Math.pow(0.9, 10), 1 - Math.pow(0.95, 10));
        return wte;
    }
}
