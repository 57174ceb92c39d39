package org.gpt4j.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.finetune.instruct.Message;
import org.gpt4j.finetune.instruct.Role;

/**
 * The {@code messages} of a chat request as the chat format's {@link Message}s: roles
 * {@code system} (and OpenAI's newer name for it, {@code developer}), {@code user} and
 * {@code assistant}; content a string or a list of {@code {"type": "text", "text": ...}} parts,
 * joined. Tool and function messages, images and audio are refused by name: a GPT here reads text.
 */
final class ChatMessages {

    /** The most messages one request may hold. */
    static final int MAX_MESSAGES = 4096;

    private ChatMessages() {
    }

    static List<Message> read(RequestBody body) {
        JsonNode list = body.get("messages");
        if (list == null) {
            throw ApiException.badRequest("messages", "'messages' is required: a list of {\"role\", \"content\"} objects");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw ApiException.badRequest("messages", "'messages' must be a non-empty list of {\"role\", \"content\"} objects");
        }
        if (list.size() > MAX_MESSAGES) {
            throw ApiException.badRequest("messages", "at most " + MAX_MESSAGES + " messages, got " + list.size());
        }
        List<Message> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(message(list.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static Message message(JsonNode m, String where) {
        if (!m.isObject()) {
            throw ApiException.badRequest("messages", where + " must be an object with 'role' and 'content'");
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw ApiException.badRequest("messages", where + ".role must be a string: system, user or assistant");
        }
        String name = roleNode.textValue();
        Role role = "developer".equals(name) ? Role.SYSTEM : Role.fromJsonName(name);
        if (role == null) {
            throw ApiException.badRequest("messages", where + ".role '" + name + "' is not supported: system, developer,"
                    + " user or assistant (this server has no tools)");
        }
        return new Message(role, content(m.get("content"), where));
    }

    private static String content(JsonNode c, String where) {
        if (c == null || c.isNull()) {
            throw ApiException.badRequest("messages", where + ".content is required (a string or a list of text parts)");
        }
        if (c.isTextual()) {
            return c.textValue();
        }
        if (!c.isArray()) {
            throw ApiException.badRequest("messages", where + ".content must be a string or a list of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : c) {
            JsonNode type = part.get("type");
            JsonNode t = part.get("text");
            if (type == null || !"text".equals(type.asText()) || t == null || !t.isTextual()) {
                throw ApiException.badRequest("messages", where + ".content: only {\"type\": \"text\", \"text\": ...} parts"
                        + " are supported" + (type != null && type.isTextual() ? ", not '" + type.textValue() + "'" : ""));
            }
            text.append(t.textValue());
        }
        return text.toString();
    }
}
