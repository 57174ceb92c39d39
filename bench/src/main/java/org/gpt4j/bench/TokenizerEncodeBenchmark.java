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
 * thread each, on the same text. The {@code corpus} parameter picks it:
 * <ul>
 *   <li>{@code english}: the first 3 MB of gutenberg_en/part-000.txt (books, one paragraph a line);</li>
 *   <li>{@code chinese}: the first 3 MB of chinese-poetry/tang_poems.txt;</li>
 *   <li>{@code code}: the first 3 MB of python_code/part-000.txt;</li>
 *   <li>{@code mixed}: those three one after the other, 9 MB (issue 17's mix);</li>
 *   <li>{@code file}: the file named by {@code gpt4j.bench.text}, repeated to at least 5 MB.</li>
 * </ul>
 * The corpora are read from property {@code gpt4j.bench.data} (default ../shared/data), whole lines
 * only. Both tokenizers must produce the same ids; setup checks that before anything is timed.
 * Score = milliseconds per encode of the whole text; MB/s = text MB / score (run-tokenizer-bench.sh
 * prints it per corpus).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class TokenizerEncodeBenchmark {

    static final int FILE_MIN_BYTES = 5_000_000;
    static final int CORPUS_BYTES = 3_000_000;

    @Param({"english", "chinese", "code", "mixed"})
    String corpus;

    String text;
    Tokenizer gpt4j;
    Encoding jtokkit;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        text = text(corpus);
        gpt4j = Tokenizers.gpt2();
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        int[] ours = gpt4j.encode(text);
        int[] theirs = jtokkit.encodeOrdinary(text).toArray();
        if (!java.util.Arrays.equals(ours, theirs)) {
            throw new IllegalStateException("gpt4j and JTokkit disagree on the " + corpus + " text");
        }
        System.out.printf("%ntext: %s %d bytes, %d tokens%n", corpus,
                text.getBytes(StandardCharsets.UTF_8).length, ours.length);
    }

    static String text(String corpus) throws IOException {
        return switch (corpus) {
            case "english" -> head("gutenberg_en/part-000.txt");
            case "chinese" -> head("chinese-poetry/tang_poems.txt");
            case "code" -> head("python_code/part-000.txt");
            case "mixed" -> text("english") + text("chinese") + text("code");
            case "file" -> repeated(Path.of(System.getProperty("gpt4j.bench.text")), FILE_MIN_BYTES);
            default -> throw new IllegalArgumentException("unknown corpus " + corpus);
        };
    }

    /** The whole lines of a data file that fit in {@link #CORPUS_BYTES} bytes of UTF-8. */
    static String head(String name) throws IOException {
        Path file = Path.of(System.getProperty("gpt4j.bench.data", "../shared/data")).resolve(name);
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int lineBytes = line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes + lineBytes > CORPUS_BYTES) {
                break;
            }
            sb.append(line).append('\n');
            bytes += lineBytes;
        }
        return sb.toString();
    }

    /** A file's text, repeated until it has at least {@code minBytes} characters. */
    static String repeated(Path file, int minBytes) throws IOException {
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
