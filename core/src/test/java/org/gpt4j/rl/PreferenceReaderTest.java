package org.gpt4j.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.finetune.TaskDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Comparison files: both forms, rankings expanded to every pair, and one clear error per bad line. */
class PreferenceReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsPairsAndExpandsRankingsToEveryPairBestFirst() throws IOException {
        Path f = write("""
                {"prompt": "Q1", "chosen": "good", "rejected": "bad", "id": 7}

                {"prompt": "", "ranking": ["A", "B", "C"]}
                """);
        List<PreferencePair> pairs = PreferenceReader.read(f);
        assertThat(pairs).containsExactly(
                new PreferencePair("Q1", "good", "bad", 1, 0),
                new PreferencePair("", "A", "B", 3, 1),
                new PreferencePair("", "A", "C", 3, 1),
                new PreferencePair("", "B", "C", 3, 1));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"|:2: not valid JSON",
        "[1, 2]|:1: expected a JSON object, found array",
        "{\"chosen\": \"a\", \"rejected\": \"b\"}|:1: missing field 'prompt'",
        "{\"prompt\": 3, \"chosen\": \"a\", \"rejected\": \"b\"}|:1: field 'prompt' must be a string, found number",
        "{\"prompt\": \"q\", \"chosen\": \"a\"}|:1: missing field 'rejected'",
        "{\"prompt\": \"q\", \"chosen\": \"\", \"rejected\": \"b\"}|:1: field 'chosen' is empty",
        "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"a\"}|:1: 'chosen' and 'rejected' are the same text",
        "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\", \"ranking\": [\"a\", \"b\"]}|has both",
        "{\"prompt\": \"q\", \"ranking\": [\"a\"]}|'ranking' has 1 responses; expected 2 to 16",
        "{\"prompt\": \"q\", \"ranking\": [\"a\", 5]}|'ranking'[1] must be a non-empty string",
        "{\"prompt\": \"q\", \"ranking\": [\"a\", \"b\", \"a\"]}|'ranking'[2] repeats an earlier response",
        "{\"prompt\": \"q\", \"ranking\": \"a > b\"}|field 'ranking' must be an array",
        "{\"prompt\": \"q\", \"prompt\": \"r\", \"chosen\": \"a\", \"rejected\": \"b\"}|:1: not valid JSON (Duplicate field 'prompt')",
        "{\"prompt\": \"q\"}|:1: no comparison",
        "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"} 7|:1: not valid JSON",
    })
    void badLinesAreOneErrorNamingFileAndLine(String line, String expected) throws IOException {
        // the first case is a file cut off in the middle of its second line
        Path f = line.endsWith("\"b\"") ? write("{\"prompt\": \"q0\", \"chosen\": \"x\", \"rejected\": \"y\"}\n" + line)
                : write(line + "\n");
        assertThatThrownBy(() -> PreferenceReader.read(f)).isInstanceOf(TaskDataException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContaining(expected);
    }

    @Test
    void emptyFilesInvalidUtf8AndMissingFilesAreErrors() throws IOException {
        Path empty = write("\n\n");
        assertThatThrownBy(() -> PreferenceReader.read(empty)).hasMessageContaining("no comparisons");
        Path bad = dir.resolve("bad.jsonl");
        Files.write(bad, new byte[] {'{', '"', 'p', (byte) 0xC3, '"', '}', '\n'});
        assertThatThrownBy(() -> PreferenceReader.read(bad)).hasMessageContaining(":1: not valid UTF-8");
        assertThatThrownBy(() -> PreferenceReader.read(dir.resolve("none.jsonl"))).hasMessageContaining("no such file");
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "pairs", ".jsonl");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }
}
