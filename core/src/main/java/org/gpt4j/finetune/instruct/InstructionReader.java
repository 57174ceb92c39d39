package org.gpt4j.finetune.instruct;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.finetune.TaskDataException;

/**
 * Reads instruction data: JSON Lines (UTF-8, one JSON object per line, blank lines skipped), each
 * line one conversation in either form
 *
 * <pre>
 * {"prompt": "What is 2 + 3?", "response": "5"}                        (optional "system": "...")
 * {"messages": [{"role": "system", "content": "..."}, {"role": "user", "content": "..."},
 *               {"role": "assistant", "content": "..."}, ...]}
 * </pre>
 *
 * Other fields are ignored. A conversation ends with an assistant message; a system message may
 * only come first; every text is a non-blank string. Every problem (invalid JSON, a truncated
 * line, a duplicate key, a missing or mistyped field, an unknown role, invalid UTF-8, a line over
 * {@link #MAX_LINE_CHARS}, an empty file) is one {@link TaskDataException} naming the file and line.
 */
public final class InstructionReader {

    /** Longer lines are not one conversation (and would hold a whole file in one string). */
    public static final int MAX_LINE_CHARS = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private InstructionReader() {
    }

    public static List<InstructionExample> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new TaskDataException(file, 0, Files.exists(file) ? "is not a file" : "no such file");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<InstructionExample> out = new ArrayList<>();
        long line = 0;
        try (Reader in = new InputStreamReader(Files.newInputStream(file), decoder)) {
            LineReader lines = new LineReader(in);
            String s;
            while ((s = lines.next()) != null) {
                line++;
                if (lines.tooLong()) {
                    throw new TaskDataException(file, line, "line longer than " + MAX_LINE_CHARS + " characters");
                }
                if (line == 1 && s.startsWith("\uFEFF")) {
                    s = s.substring(1);
                }
                if (s.isBlank()) {
                    continue;
                }
                try {
                    out.add(new InstructionExample(conversation(parse(s)), line));
                } catch (IllegalArgumentException e) {
                    throw new TaskDataException(file, line, e.getMessage());
                }
            }
        } catch (CharacterCodingException e) {
            throw new TaskDataException(file, line + 1, "not valid UTF-8");
        } catch (NoSuchFileException e) {
            throw new TaskDataException(file, 0, "no such file");
        }
        if (out.isEmpty()) {
            throw new TaskDataException(file, 0, "no examples (expected one JSON object per line with 'prompt' and "
                    + "'response', or 'messages')");
        }
        return out;
    }

    private static JsonNode parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            int cut = why.indexOf('\n');
            throw new IllegalArgumentException("not valid JSON (" + (cut < 0 ? why : why.substring(0, cut)) + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, found " + (node == null ? "nothing" : kind(node)));
        }
        return node;
    }

    /** The messages of one line's object; an IllegalArgumentException says what is wrong. */
    static List<Message> conversation(JsonNode row) {
        boolean pair = row.has("prompt") || row.has("response");
        if (row.has("messages")) {
            if (pair) {
                throw new IllegalArgumentException("has both 'messages' and 'prompt'/'response': give one form");
            }
            return messages(row.get("messages"));
        }
        if (!pair) {
            throw new IllegalArgumentException("expected 'prompt' and 'response', or 'messages'");
        }
        List<Message> m = new ArrayList<>(3);
        if (row.has("system")) {
            m.add(Message.system(text(row.get("system"), "'system'")));
        }
        m.add(Message.user(text(row.get("prompt"), "'prompt'")));
        m.add(Message.assistant(text(row.get("response"), "'response'")));
        return m;
    }

    private static List<Message> messages(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            throw new IllegalArgumentException("'messages' must be a non-empty array of {\"role\", \"content\"} objects");
        }
        List<Message> m = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode msg = array.get(i);
            String where = "messages[" + i + "]";
            if (!msg.isObject()) {
                throw new IllegalArgumentException(where + " must be an object with 'role' and 'content', found " + kind(msg));
            }
            JsonNode roleNode = msg.get("role");
            if (roleNode == null || !roleNode.isTextual()) {
                throw new IllegalArgumentException(where + " needs a 'role' string (system, user or assistant)");
            }
            Role role = Role.fromJsonName(roleNode.asText());
            if (role == null) {
                throw new IllegalArgumentException(where + " has role '" + roleNode.asText()
                        + "' (expected system, user or assistant)");
            }
            if (role == Role.SYSTEM && i > 0) {
                throw new IllegalArgumentException(where + " is a system message: only the first message may be one");
            }
            m.add(new Message(role, text(msg.get("content"), where + ".content")));
        }
        if (m.getLast().role() != Role.ASSISTANT) {
            throw new IllegalArgumentException("the last message is the " + m.getLast().role().jsonName()
                    + "'s: a conversation must end with the assistant's response");
        }
        return m;
    }

    private static String text(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing " + where);
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(where + " must be a string, found " + kind(node));
        }
        if (node.asText().isBlank()) {
            throw new IllegalArgumentException(where + " is empty");
        }
        return node.asText();
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * Lines ending in \n, \r\n or \r, without holding more than {@link #MAX_LINE_CHARS} of one:
     * a longer line is read to its end but not kept ({@link #tooLong()}).
     */
    static final class LineReader {

        private final Reader in;
        private final char[] buffer = new char[8192];
        private int pos;
        private int limit;
        private boolean pendingLf;
        private boolean tooLong;

        LineReader(Reader in) {
            this.in = in;
        }

        /** True when the last line returned was longer than the limit (and came back empty). */
        boolean tooLong() {
            return tooLong;
        }

        /** The next line without its terminator, or null at the end of the input. */
        String next() throws IOException {
            StringBuilder sb = new StringBuilder();
            tooLong = false;
            boolean any = false;
            while (true) {
                if (pos == limit) {
                    limit = in.read(buffer);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return any ? sb.toString() : null;
                    }
                }
                char c = buffer[pos++];
                if (pendingLf) {
                    pendingLf = false;
                    if (c == '\n') {
                        continue;
                    }
                }
                any = true;
                if (c == '\n' || c == '\r') {
                    pendingLf = c == '\r';
                    return sb.toString();
                }
                if (sb.length() == MAX_LINE_CHARS) {
                    tooLong = true;
                    sb.setLength(0);
                }
                if (!tooLong) {
                    sb.append(c);
                }
            }
        }
    }
}
