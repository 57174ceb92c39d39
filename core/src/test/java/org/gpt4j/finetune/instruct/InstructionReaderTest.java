package org.gpt4j.finetune.instruct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import org.gpt4j.finetune.TaskDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Instruction JSON Lines: both forms read, every bad line is one error naming the file and line
 * (truncated, malformed, oversized, mistyped), and no input at all makes the reader fail otherwise.
 */
class InstructionReaderTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return file(content.getBytes(StandardCharsets.UTF_8));
    }

    private Path file(byte[] content) throws IOException {
        Path f = Files.createTempFile(dir, "data", ".jsonl");
        Files.write(f, content);
        return f;
    }

    @Test
    void readsPromptResponseAndChatRowsSkippingBlankLines() throws IOException {
        Path f = file("\uFEFF{\"prompt\": \"What is 2 + 3?\", \"response\": \"5\", \"id\": 7}\r\n\r\n"
                + "{\"system\": \"Be brief.\", \"prompt\": \"Hi\", \"response\": \"Hello\"}\n"
                + "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"},"
                + " {\"role\": \"user\", \"content\": \"c\"}, {\"role\": \"assistant\", \"content\": \"d\"}]}");
        List<InstructionExample> examples = InstructionReader.read(f);
        assertThat(examples).hasSize(3);
        assertThat(examples.get(0).messages()).containsExactly(Message.user("What is 2 + 3?"), Message.assistant("5"));
        assertThat(examples.get(0).line()).isEqualTo(1);
        assertThat(examples.get(1).messages()).containsExactly(Message.system("Be brief."), Message.user("Hi"),
                Message.assistant("Hello"));
        assertThat(examples.get(1).line()).isEqualTo(3);
        assertThat(examples.get(2).context()).hasSize(3);
        assertThat(examples.get(2).response()).isEqualTo("d");
        assertThat(examples.get(2).line()).isEqualTo(4);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"prompt\": \"a\", \"response\": \"b\"                  | not valid JSON",
        "{\"prompt\": \"a\", \"response\": \"b\"} {}              | not valid JSON",
        "[1, 2]                                                   | expected a JSON object, found an array",
        "\"text\"                                                 | expected a JSON object, found a string",
        "{\"prompt\": \"a\"}                                      | missing 'response'",
        "{\"prompt\": \"a\", \"response\": 5}                     | 'response' must be a string, found a number",
        "{\"prompt\": \"  \", \"response\": \"b\"}                | 'prompt' is empty",
        "{\"prompt\": \"a\", \"prompt\": \"b\", \"response\": \"c\"} | not valid JSON (Duplicate field 'prompt')",
        "{\"text\": \"a\"}                                        | expected 'prompt' and 'response', or 'messages'",
        "{\"messages\": [], \"x\": 1}                             | 'messages' must be a non-empty array",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}], \"prompt\": \"b\"} | has both 'messages' and 'prompt'",
        "{\"messages\": [\"hi\"]}                                 | messages[0] must be an object",
        "{\"messages\": [{\"content\": \"a\"}]}                   | messages[0] needs a 'role' string",
        "{\"messages\": [{\"role\": \"bot\", \"content\": \"a\"}]} | messages[0] has role 'bot'",
        "{\"messages\": [{\"role\": \"user\", \"content\": null}]} | missing messages[0].content",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]} | the last message is the user's",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"system\", \"content\": \"b\"}]} | messages[1] is a system message",
    })
    void aMalformedLineIsOneErrorNamingFileAndLine(String line, String problem) throws IOException {
        Path f = file("{\"prompt\": \"ok\", \"response\": \"fine\"}\n\n" + line.strip() + "\n");
        assertThatThrownBy(() -> InstructionReader.read(f)).isInstanceOf(TaskDataException.class)
                .hasMessageStartingWith(f + ":3: ").hasMessageContaining(problem);
    }

    @Test
    void aTruncatedFileIsAnErrorOnItsLastLine() throws IOException {
        String whole = "{\"prompt\": \"a\", \"response\": \"b\"}\n{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}";
        Path f = file(whole.substring(0, whole.length() - 9));
        assertThatThrownBy(() -> InstructionReader.read(f)).hasMessageStartingWith(f + ":2: not valid JSON");
    }

    @Test
    void anOversizedLineIsRefusedWithoutHoldingIt() throws IOException {
        String huge = "{\"prompt\": \"" + "a".repeat(InstructionReader.MAX_LINE_CHARS) + "\", \"response\": \"b\"}";
        Path f = file("{\"prompt\": \"a\", \"response\": \"b\"}\n" + huge + "\n{\"prompt\": \"a\", \"response\": \"b\"}\n");
        assertThatThrownBy(() -> InstructionReader.read(f)).hasMessage(f + ":2: line longer than "
                + InstructionReader.MAX_LINE_CHARS + " characters");
    }

    @Test
    void invalidUtf8EmptyFilesAndMissingFilesAreNamed() throws IOException {
        Path bad = file(new byte[] {'{', '"', 'p', (byte) 0xC3, '"', '}', '\n'});
        assertThatThrownBy(() -> InstructionReader.read(bad)).hasMessage(bad + ":1: not valid UTF-8");
        Path empty = file("\n  \n");
        assertThatThrownBy(() -> InstructionReader.read(empty)).hasMessageStartingWith(empty + ": no examples");
        assertThatThrownBy(() -> InstructionReader.read(dir.resolve("none.jsonl"))).hasMessageEndingWith(": no such file");
        assertThatThrownBy(() -> InstructionReader.read(dir)).hasMessageEndingWith(": is not a file");
    }

    @Test
    void whatTheWriterWritesTheReaderReads() throws IOException {
        List<InstructionExample> examples = List.of(InstructionExample.of("What is 2 + 3?\n\"quoted\"", "5"),
                new InstructionExample(List.of(Message.system("s"), Message.user("u\tx"), Message.assistant("a\u2028b")), 0));
        Path f = dir.resolve("out.jsonl");
        InstructionWriter.write(examples, f);
        assertThat(Files.readAllLines(f).getFirst()).startsWith("{\"prompt\":");
        List<InstructionExample> back = InstructionReader.read(f);
        assertThat(back).extracting(InstructionExample::messages)
                .containsExactly(examples.get(0).messages(), examples.get(1).messages());
    }

    // ---- fuzz: any bytes give examples or one TaskDataException naming the file, never anything else

    private final List<Path> fuzzFiles = new ArrayList<>();

    @Property(tries = 400)
    void anyJsonLikeTextGivesExamplesOrOneClearError(@ForAll("jsonlLike") String content) throws IOException {
        readsOrFailsClearly(content.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void anyBytesGiveExamplesOrOneClearError(@ForAll byte[] content) throws IOException {
        readsOrFailsClearly(content);
    }

    private void readsOrFailsClearly(byte[] content) throws IOException {
        Path f = Files.createTempFile("instruct-fuzz", ".jsonl");
        fuzzFiles.add(f);
        Files.write(f, content);
        try {
            List<InstructionExample> examples = InstructionReader.read(f);
            assertThat(examples).isNotEmpty().allSatisfy(e -> assertThat(e.messages().getLast().role()).isEqualTo(Role.ASSISTANT));
        } catch (TaskDataException e) {
            assertThat(e.getMessage()).startsWith(f.toString() + ":").doesNotContain("\n");
        }
    }

    @AfterProperty
    void removeFuzzFiles() {
        for (Path f : fuzzFiles) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        fuzzFiles.clear();
    }

    /** Lines made of JSON fragments (often valid rows, often broken ones) and arbitrary characters. */
    @Provide
    Arbitrary<String> jsonlLike() {
        Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\"prompt\"", "\"response\"",
                "\"messages\"", "\"role\"", "\"content\"", "\"user\"", "\"assistant\"", "\"system\"", "\"x\"", "null", "1",
                "true", "\n", "\r\n", " ", "\\", "\\u00", "{\"prompt\": \"a\", \"response\": \"b\"}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"r\"}]}");
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(4);
        Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(5, fragments), Tuple.of(1, any));
        return piece.list().ofMaxSize(40).map(l -> String.join("", l));
    }
}
