package org.gpt4j.fewshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.finetune.TaskDataException;

/**
 * Reads multiple-choice JSONL, one question per line, in the shape of COPA / XCOPA:
 * <pre>{"premise": "The man turned on the tap.", "choice1": "...", "choice2": "...", "question": "effect", "label": 1}</pre>
 * The options are {@code choice1..choiceN} (consecutive from 1) or an array {@code choices}; at
 * least 2. {@code label} is the 0-based index of the right one. Every other string or number
 * field is a template field ({@code {premise}}, {@code {question}}, ...). Each option becomes a
 * candidate answer after {@code choicePrefix} (a space by default: the option follows the
 * premise as the next words). Every problem is a {@link TaskDataException} naming the file and line.
 *
 * <p>A small reader of its own: the fine-tuning data readers are TSV only for now.
 */
final class MultipleChoiceJsonl {

    /** Longer lines are not one question (and would hold the whole file in one string). */
    static final int MAX_LINE_CHARS = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MultipleChoiceJsonl() {
    }

    static List<FewShotExample> read(Path file, String choicePrefix) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new TaskDataException(file, 0, Files.exists(file) ? "is not a file" : "no such file");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<FewShotExample> out = new ArrayList<>();
        long line = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String s;
            while ((s = in.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                if (s.length() > MAX_LINE_CHARS) {
                    throw new TaskDataException(file, line, "line longer than " + MAX_LINE_CHARS + " characters");
                }
                out.add(example(file, line, s, choicePrefix));
            }
        } catch (CharacterCodingException e) {
            throw new TaskDataException(file, line + 1, "not valid UTF-8");
        }
        if (out.isEmpty()) {
            throw new TaskDataException(file, line, "no examples (expected one JSON object per line, e.g. "
                    + "{\"premise\": ..., \"choice1\": ..., \"choice2\": ..., \"label\": 0})");
        }
        return out;
    }

    private static FewShotExample example(Path file, long line, String text, String prefix) throws TaskDataException {
        JsonNode o;
        try {
            o = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new TaskDataException(file, line, "not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new TaskDataException(file, line, "expected a JSON object, found " + (o == null ? "nothing" : o.getNodeType()));
        }
        List<String> choices = new ArrayList<>();
        if (o.has("choices")) {
            JsonNode a = o.get("choices");
            if (!a.isArray()) {
                throw new TaskDataException(file, line, "'choices' must be an array of strings");
            }
            for (JsonNode c : a) {
                choices.add(choiceText(file, line, c, "choices[" + choices.size() + "]"));
            }
        } else {
            for (int i = 1; o.has("choice" + i); i++) {
                choices.add(choiceText(file, line, o.get("choice" + i), "choice" + i));
            }
        }
        if (choices.size() < 2) {
            throw new TaskDataException(file, line, "expected at least 2 options (choice1, choice2, ... or a 'choices' array), found "
                    + choices.size());
        }
        JsonNode label = o.get("label");
        if (label == null || !(label.isIntegralNumber() || label.isTextual() && label.asText().matches("[0-9]{1,6}"))) {
            throw new TaskDataException(file, line, "'label' must be the 0-based index of the right option, found "
                    + (label == null ? "no label" : label.toString()));
        }
        boolean fits = label.isTextual() || label.canConvertToInt();
        int gold = !fits ? -1 : label.isTextual() ? Integer.parseInt(label.asText()) : label.asInt();
        if (gold < 0 || gold >= choices.size()) {
            throw new TaskDataException(file, line, "'label' " + label + " is not an option index in [0, " + choices.size() + ")");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual() || e.getValue().isNumber()) {
                fields.put(e.getKey(), e.getValue().asText());
            }
        }
        List<String> continuations = choices.stream().map(c -> prefix + c).toList();
        return new FewShotExample(fields, continuations, gold, file + ":" + line);
    }

    private static String choiceText(Path file, long line, JsonNode c, String name) throws TaskDataException {
        if (c == null || !c.isTextual() || c.asText().isBlank()) {
            throw new TaskDataException(file, line, "option " + name + " must be a non-empty string, found " + c);
        }
        return c.asText();
    }
}
