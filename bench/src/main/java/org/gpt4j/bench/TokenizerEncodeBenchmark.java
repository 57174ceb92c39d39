package org.gpt4j.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
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
 * GPT-2 encoding throughput, gpt4j against JTokkit 1.1.0 ({@code r50k_base.encodeOrdinary}), one
 * thread each, on the same English text: Tiny Shakespeare repeated to at least 5 MB (property
 * {@code gpt4j.bench.text}, default ../shared/data/tinyshakespeare/input.txt). Both must produce the
 * same ids; setup checks that before anything is timed. Score = seconds per encode of the whole
 * text; MB/s = text MB / score (run-tokenizer-bench.sh prints it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class TokenizerEncodeBenchmark {

    static final int MIN_BYTES = 5_000_000;

    @Param({"5"})
    int megabytes;

    String text;
    Tokenizer gpt4j;
    Encoding jtokkit;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        text = englishText(Math.max(MIN_BYTES, megabytes * 1_000_000));
        gpt4j = Tokenizers.gpt2();
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        int[] ours = gpt4j.encode(text);
        int[] theirs = jtokkit.encodeOrdinary(text).toArray();
        if (!java.util.Arrays.equals(ours, theirs)) {
            throw new IllegalStateException("gpt4j and JTokkit disagree on the benchmark text");
        }
        System.out.printf("%ntext: %d bytes, %d tokens%n", text.getBytes(StandardCharsets.UTF_8).length, ours.length);
    }

    /** Tiny Shakespeare, repeated until it has at least {@code minBytes} bytes. */
    static String englishText(int minBytes) throws IOException {
        Path file = Path.of(System.getProperty("gpt4j.bench.text", "../shared/data/tinyshakespeare/input.txt"));
        String once = Files.readString(file, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(minBytes + once.length());
        while (sb.length() < minBytes) {
            sb.append(once);
        }
        return sb.toString();
    }

    @Benchmark
    public int[] gpt4j() {
        return gpt4j.encode(text);
    }

    @Benchmark
    public int[] jtokkit() {
        return jtokkit.encodeOrdinary(text).toArray();
    }
}
