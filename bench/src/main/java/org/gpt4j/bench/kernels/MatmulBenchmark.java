package org.gpt4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gpt4j.tensor.Matmul;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every {@link Matmul} form at the shapes a GPT runs, with all of the kernel thread pool. A shape
 * is {@code rows x in x out}: 256 rows = GPT-2 124M training at B=4 x T=64 (and its prefill),
 * 1 row = decoding, 4096 rows = the 4-layer 128-wide model at B=32 x T=128. Each call is
 * 2 rows in out FLOPs; {@code run-kernel-bench.sh} turns the time into GFLOP/s and prints
 * PyTorch's (OpenBLAS) beside it.
 *
 * <p>Forms: {@code forward} (y = x W + b, W [in, out]), {@code backwardInput} (dx += dy W^T),
 * {@code backwardWeight} (dW += x^T dy), and for the tied unembedding W [out, in]:
 * {@code forwardTransposed} (y = x W^T), {@code backwardTransposedInput} (dx += dy W),
 * {@code backwardTransposedWeight} (dW += dy^T x).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class MatmulBenchmark {

    @Param({"256x768x2304", "256x768x768", "256x768x3072", "256x3072x768", "256x768x50257",
            "1x768x2304", "1x3072x768", "1x768x50257", "4096x128x384", "4096x512x128", "4096x128x65"})
    String shape;

    int rows;
    int in;
    int out;
    float[] x;
    float[] w;
    float[] bias;
    float[] y;
    float[] dx;
    float[] dw;

    @Setup(Level.Trial)
    public void setUp() {
        String[] d = shape.split("x");
        rows = Integer.parseInt(d[0]);
        in = Integer.parseInt(d[1]);
        out = Integer.parseInt(d[2]);
        SplittableRandom rng = new SplittableRandom(1);
        x = random(rows * in, rng);
        w = random(in * out, rng);
        bias = random(out, rng);
        y = random(rows * out, rng);
        dx = new float[rows * in];
        dw = new float[in * out];
    }

    static float[] random(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    @Benchmark
    public float[] forward() {
        Matmul.forward(y, x, w, bias, rows, in, out);
        return y;
    }

    @Benchmark
    public float[] backwardInput() {
        Matmul.backward(dx, null, null, y, x, w, rows, in, out);
        return dx;
    }

    @Benchmark
    public float[] backwardWeight() {
        Matmul.backward(null, dw, null, y, x, w, rows, in, out);
        return dw;
    }

    @Benchmark
    public float[] forwardTransposed() {
        Matmul.forwardTransposed(y, x, w, rows, in, out);
        return y;
    }

    @Benchmark
    public float[] backwardTransposedInput() {
        Matmul.backwardTransposed(dx, null, y, x, w, rows, in, out);
        return dx;
    }

    @Benchmark
    public float[] backwardTransposedWeight() {
        Matmul.backwardTransposed(null, dw, y, x, w, rows, in, out);
        return dw;
    }
}
