package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * The JSONL reader under random input: valid files of random texts read back exactly; random
 * mutations of them (bytes flipped, cut, inserted, the file truncated) and random bytes give
 * either a {@link TaskDataException} naming the file or a data set that keeps every promise
 * (non-empty stripped texts, the format's fields, labels in range, one option count, increasing
 * lines) — never another exception.
 */
class JsonlTaskReaderFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A multiple-choice row as generated: premise, question (or null), options, gold index. */
    record Row(String premise, String question, List<String> choices, int label) {
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.MIXIN)
    void validMultipleChoiceFilesReadBackExactly(@ForAll("rows") List<Row> rows, @ForAll boolean asArray) throws IOException {
        byte[] bytes = multipleChoiceFile(rows, asArray);
        Path f = temp(bytes);
        try {
            TaskDataset d = TaskDataset.readTraining(f, TaskFormat.MULTIPLE_CHOICE, TaskColumns.automatic());
            assertThat(d.size()).isEqualTo(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                TaskExample e = d.examples().get(i);
                String q = r.question() == null ? null : TaskColumns.COPA_QUESTIONS.getOrDefault(r.question().strip(), r.question().strip());
                assertThat(e.text()).isEqualTo(q == null ? r.premise().strip() : r.premise().strip() + " " + q);
                assertThat(e.choices()).isEqualTo(r.choices().stream().map(String::strip).toList());
                assertThat(e.label()).isEqualTo(r.label());
                assertThat(e.line()).isEqualTo(i + 1);
            }
        } finally {
            Files.delete(f);
        }
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void mutatedFilesFailCleanlyOrKeepEveryPromise(@ForAll("rows") List<Row> rows, @ForAll boolean asArray,
            @ForAll @IntRange(min = 1, max = 3) int mutations, @ForAll long seed, @ForAll("formats") TaskFormat format)
            throws IOException {
        byte[] valid = format.choices() ? multipleChoiceFile(rows, asArray) : labelledFile(rows, format.pair(), asArray);
        readCleanly(mutate(valid, mutations, new Random(seed)), format);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void randomBytesFailCleanlyOrKeepEveryPromise(@ForAll("noise") byte[] bytes, @ForAll("formats") TaskFormat format)
            throws IOException {
        readCleanly(bytes, format);
    }

    private static void readCleanly(byte[] bytes, TaskFormat format) throws IOException {
        Path f = temp(bytes);
        try {
            TaskDataset d;
            try {
                d = TaskDataset.readTraining(f, format, TaskColumns.automatic());
            } catch (TaskDataException e) {
                assertThat(e.getMessage()).startsWith(f.toString());
                Statistics.label("outcome").collect("error");
                return;
            }
            Statistics.label("outcome").collect("read");
            assertThat(d.size()).isPositive();
            long previous = 0;
            for (TaskExample e : d.examples()) {
                assertThat(e.text()).isNotBlank().isEqualTo(e.text().strip());
                assertThat(e.pair() != null).isEqualTo(format.pair());
                assertThat(e.choices().isEmpty()).isEqualTo(!format.choices());
                if (format.choices()) {
                    assertThat(e.choices()).hasSize(d.labels().size()).allSatisfy(c -> assertThat(c).isNotBlank());
                }
                assertThat(e.label()).isBetween(0, d.labels().size() - 1);
                assertThat(e.line()).isGreaterThan(previous);
                previous = e.line();
            }
        } finally {
            Files.delete(f);
        }
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        return Arbitraries.integers().between(2, 4).flatMap(n -> row(n).list().ofMinSize(1).ofMaxSize(6));
    }

    private static Arbitrary<Row> row(int options) {
        Arbitrary<String> question = Arbitraries.oneOf(Arbitraries.of("cause", "effect", " effect "), text())
                .injectNull(0.3);
        return Combinators.combine(text(), question, text().list().ofSize(options), Arbitraries.integers().between(0, options - 1))
                .as(Row::new);
    }

    /** Texts that are not blank: any characters but lone surrogates (which UTF-8 cannot hold). */
    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF')
                .ofMinLength(1).ofMaxLength(20).filter(s -> !s.strip().isEmpty());
    }

    @Provide
    Arbitrary<TaskFormat> formats() {
        return Arbitraries.of(TaskFormat.class);
    }

    @Provide
    Arbitrary<byte[]> noise() {
        List<Byte> json = new ArrayList<>();
        for (byte x : "{}[]\":,\n\r 0123456789abelpremisechoice".getBytes(StandardCharsets.UTF_8)) {
            json.add(x);
        }
        Arbitrary<Byte> b = Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.of(json));
        return b.array(byte[].class).ofMaxSize(300);
    }

    private static byte[] multipleChoiceFile(List<Row> rows, boolean asArray) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Row r : rows) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("premise", r.premise());
            if (r.question() != null) {
                o.put("question", r.question());
            }
            if (asArray) {
                r.choices().forEach(o.putArray("choices")::add);
            } else {
                for (int k = 0; k < r.choices().size(); k++) {
                    o.put("choice" + (k + 1), r.choices().get(k));
                }
            }
            o.put("label", r.label());
            o.put("idx", 7);
            out.write(MAPPER.writeValueAsBytes(o));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The rows as classification or pair examples: premise, first option, a label by name or integer. */
    private static byte[] labelledFile(List<Row> rows, boolean pair, boolean namedLabels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Row r : rows) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put(pair ? "sentence1" : "text", r.premise());
            if (pair) {
                o.put("sentence2", r.choices().get(0));
            }
            if (namedLabels) {
                o.put("label", "class " + r.label());
            } else {
                o.put("label", r.label());
            }
            out.write(MAPPER.writeValueAsBytes(o));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Flips, deletes, inserts or truncates at random places. */
    private static byte[] mutate(byte[] in, int mutations, Random rng) {
        byte[] b = in;
        byte[] alphabet = "{}[]\":,\n\r \\u0abc-1.e".getBytes(StandardCharsets.UTF_8);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = rng.nextInt(b.length);
            int lineStart = at;
            while (lineStart > 0 && b[lineStart - 1] != '\n') {
                lineStart--;
            }
            switch (rng.nextInt(7)) {
                // Line-level: a line dropped, repeated, or a blank / CR line put before it (still JSON).
                case 4, 5, 6 -> {
                    int lineEnd = at;
                    while (lineEnd < b.length && b[lineEnd] != '\n') {
                        lineEnd++;
                    }
                    lineEnd = Math.min(b.length, lineEnd + 1);
                    byte[] line = Arrays.copyOfRange(b, lineStart, lineEnd);
                    ByteArrayOutputStream o = new ByteArrayOutputStream();
                    o.write(b, 0, lineStart);
                    int op = rng.nextInt(3);
                    if (op == 1) {
                        o.write(line, 0, line.length);
                    } else if (op == 2) {
                        o.write(rng.nextBoolean() ? '\r' : '\n');
                    }
                    if (op != 0) {
                        o.write(line, 0, line.length);
                    }
                    o.write(b, lineEnd, b.length - lineEnd);
                    b = o.toByteArray();
                }
                case 0 -> b[at] = rng.nextBoolean() ? (byte) rng.nextInt(256) : alphabet[rng.nextInt(alphabet.length)];
                case 1 -> {
                    int len = Math.min(b.length - at, 1 + rng.nextInt(8));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 2 -> {
                    List<Byte> list = new ArrayList<>();
                    for (byte x : b) {
                        list.add(x);
                    }
                    int n = 1 + rng.nextInt(4);
                    for (int k = 0; k < n; k++) {
                        list.add(at, alphabet[rng.nextInt(alphabet.length)]);
                    }
                    b = new byte[list.size()];
                    for (int k = 0; k < b.length; k++) {
                        b[k] = list.get(k);
                    }
                }
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static Path temp(byte[] bytes) throws IOException {
        Path f = Files.createTempFile("gpt4j-fuzz", ".jsonl");
        Files.write(f, bytes);
        return f;
    }
}
