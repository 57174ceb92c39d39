package org.gpt4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.WordPieceTokenizer;
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
 * BERT WordPiece encoding throughput on one thread: {@code english} is the first 3 MB of
 * gutenberg_en/part-000.txt with bert-base-uncased, {@code chinese} the first 3 MB of
 * chinese-poetry/tang_poems.txt with bert-base-chinese (vocabularies from bert-vocab/ in
 * {@code gpt4j.bench.data}). Score = milliseconds per encode of the whole text;
 * bench/wordpiece_hf_bench.py times Hugging Face tokenizers (Rust) on the same text, and
 * bench/run-wordpiece-bench.sh prints both in MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class WordPieceEncodeBenchmark {

    @Param({"english", "chinese"})
    String corpus;

    String text;
    WordPieceTokenizer tokenizer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        text = TokenizerEncodeBenchmark.text(corpus);
        String vocab = corpus.equals("chinese") ? "bert-base-chinese" : "bert-base-uncased";
        Path dir = Path.of(System.getProperty("gpt4j.bench.data", "../shared/data"), "bert-vocab", vocab);
        tokenizer = (WordPieceTokenizer) Tokenizers.load(dir);
        System.out.printf("%ntext: %s %d bytes, %d tokens%n", corpus,
                text.getBytes(StandardCharsets.UTF_8).length, tokenizer.encode(text).length);
    }

    @Benchmark
    public int[] gpt4j() {
        return tokenizer.encode(text);
    }
}
