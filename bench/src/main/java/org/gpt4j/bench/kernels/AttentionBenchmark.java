package org.gpt4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gpt4j.tensor.AttentionKernel;
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
 * Causal attention forward and backward on training's fused qkv buffer. A shape is
 * {@code B x T x NH x hs}: GPT-2 124M at B=4 x T=64, the 6-layer 384-wide char model at
 * B=12 x T=256, and the 4-layer 128-wide model at B=32 x T=128 (head size 32).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class AttentionBenchmark {

    @Param({"4x64x12x64", "12x256x6x64", "32x128x4x32"})
    String shape;

    int b;
    int t;
    int nh;
    int hs;
    float[] qkv;
    float[] y;
    float[] att;
    float[] dqkv;
    AttentionKernel.Layout layout;

    @Setup(Level.Trial)
    public void setUp() {
        String[] d = shape.split("x");
        b = Integer.parseInt(d[0]);
        t = Integer.parseInt(d[1]);
        nh = Integer.parseInt(d[2]);
        hs = Integer.parseInt(d[3]);
        int c = nh * hs;
        qkv = MatmulBenchmark.random(b * t * 3 * c, new SplittableRandom(2));
        y = new float[b * t * c];
        att = new float[b * nh * t * t];
        dqkv = new float[qkv.length];
        layout = AttentionKernel.Layout.fused(qkv, t, c);
        AttentionKernel.forward(y, att, null, layout, b, t, 0, nh, hs);
    }

    @Benchmark
    public float[] forward() {
        AttentionKernel.forward(y, att, null, layout, b, t, 0, nh, hs);
        return y;
    }

    @Benchmark
    public float[] backward() {
        AttentionKernel.backward(dqkv, y, att, null, qkv, b, t, nh, hs);
        return dqkv;
    }
}
