package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.gpt4j.io.Bounded;

/**
 * Task data TSV files on random and mutated input: the rows, each with a non-empty text (and
 * second text) and label, or one {@link TaskDataException} naming the file; never another
 * exception, a hang, or an allocation beyond a small multiple of the file.
 */
class TsvTaskReaderFuzzTest {

    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static Path dir;

    @BeforeContainer
    static void directory() throws IOException {
        dir = Files.createTempDirectory("tsv-fuzz");
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Bounded.Outcome<List<TaskRow>> readOrFailCleanly(byte[] bytes, TaskFormat format,
            TaskColumns columns) throws IOException {
        Path file = dir.resolve("data.tsv");
        Files.write(file, bytes);
        Bounded.Outcome<List<TaskRow>> outcome = Bounded.run(LIMIT, (4L << 20) + 16L * bytes.length,
                () -> TsvTaskReader.read(file, format, columns));
        List<TaskRow> rows = outcome.valueOrClean(TaskDataException.class);
        if (rows != null) {
            assertThat(rows).isNotEmpty();
            for (TaskRow r : rows) {
                assertThat(r.text()).isNotBlank();
                assertThat(r.label()).isNotBlank();
                assertThat(r.pair() == null).isEqualTo(!format.pair());
                if (format.pair()) {
                    assertThat(r.pair()).isNotBlank();
                }
            }
        }
        return outcome;
    }

    @Provide
    Arbitrary<String> tables() {
        Arbitrary<String> header = Arbitraries.oneOf(
                Arbitraries.of("sentence\tlabel", "sentence1\tsentence2\tlabel", "label\tsentence",
                        "premise\thypothesis\tlabel", "\uFEFFsentence\tlabel", "text\tlabel\tsentence2", "x\ty", "", "label"),
                Arbitraries.of("sentence", "label", "sentence2", "hypothesis", "", "\"q\"").list().ofMaxSize(4)
                        .map(fs -> String.join("\t", fs)));
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\u00e9\u4E2D\"'\\").ofMinLength(1).ofMaxLength(5),
                Arbitraries.of("", " ", "0", "1", "\r", "\"quoted\tfield\""));
        Arbitrary<String> row = field.list().ofMinSize(1).ofMaxSize(4).map(fs -> String.join("\t", fs));
        return Combinators.combine(header, row.list().ofMaxSize(5), Arbitraries.of("\n", "\r\n", "\r"))
                .as((h, rows, nl) -> h + nl + String.join(nl, rows));
    }

    @Property(tries = 300)
    void generatedTablesReadOrFailCleanly(@ForAll("tables") String table, @ForAll boolean pair) throws IOException {
        readOrFailCleanly(table.getBytes(StandardCharsets.UTF_8), pair ? TaskFormat.ENTAILMENT : TaskFormat.CLASSIFICATION,
                TaskColumns.automatic()).counted();
        Bounded.bothOutcomesSeen();
    }

    @Property(tries = 300)
    void arbitraryBytesReadOrFailCleanly(@ForAll @Size(max = 200) byte[] bytes, @ForAll boolean pair) throws IOException {
        readOrFailCleanly(bytes, pair ? TaskFormat.ENTAILMENT : TaskFormat.CLASSIFICATION, TaskColumns.automatic());
    }

    @Property(tries = 200)
    void namedColumnsReadOrFailCleanly(@ForAll("tables") String table,
            @ForAll("names") String text, @ForAll("names") String pair, @ForAll("names") String label) throws IOException {
        readOrFailCleanly(table.getBytes(StandardCharsets.UTF_8), TaskFormat.ENTAILMENT, new TaskColumns(text, pair, label));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("sentence", "sentence1", "sentence2", "label", "", "missing").injectNull(0.3);
    }
}
