package org.gpt4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gpt4j.tensor.CompactMatmul;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.Matmul;
import org.gpt4j.tensor.WeightFormat;
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
 * Inference products with f32, bf16 and int8 weights at GPT-2 124M's shapes ({@code rows x in x
 * out}): 1 row is one decoding step, where the time is that of streaming the weights (f32 reads 4
 * bytes a weight, bf16 2, int8 1); 128 rows is a prompt's prefill, where compact weights are
 * widened once per call. {@code forward} is a Conv1D layer (W {@code [in, out]}),
 * {@code forwardTransposed} the tied unembedding (W {@code [out, in]}).
 * {@code run-kernel-bench.sh CompactMatmulBenchmark} prints the weights' GB/s beside the times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class CompactMatmulBenchmark {

    @Param({"1x768x3072", "1x3072x768", "1x768x50257", "128x768x3072"})
    String shape;

    @Param({"f32", "bf16", "int8"})
    String weights;

    int rows;
    int in;
    int out;
    float[] x;
    float[] w;
    float[] wt;
    float[] bias;
    float[] y;
    CompactMatrix compact;
    CompactMatrix compactT;

    @Setup(Level.Trial)
    public void setUp() {
        String[] d = shape.split("x");
        rows = Integer.parseInt(d[0]);
        in = Integer.parseInt(d[1]);
        out = Integer.parseInt(d[2]);
        SplittableRandom rng = new SplittableRandom(1);
        x = MatmulBenchmark.random(rows * in, rng);
        w = MatmulBenchmark.random(in * out, rng);
        wt = MatmulBenchmark.random(out * in, rng);
        bias = MatmulBenchmark.random(out, rng);
        y = new float[rows * out];
        WeightFormat format = WeightFormat.parse(weights);
        if (format != WeightFormat.F32) {
            compact = CompactMatrix.of(w, in, out, false, format);
            compactT = CompactMatrix.of(wt, out, in, true, format);
        }
    }

    @Benchmark
    public float[] forward() {
        if (compact == null) {
            Matmul.forward(y, x, w, bias, rows, in, out);
        } else {
            CompactMatmul.forward(y, x, compact, bias, rows);
        }
        return y;
    }

    @Benchmark
    public float[] forwardTransposed() {
        if (compactT == null) {
            Matmul.forwardTransposed(y, x, wt, rows, in, out);
        } else {
            CompactMatmul.forwardTransposed(y, x, compactT, rows);
        }
        return y;
    }
}
