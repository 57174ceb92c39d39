package org.gpt4j.finetune.instruct;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.io.AtomicFiles;

/**
 * Writes instruction data as {@link InstructionReader} reads it: one JSON object per line, a
 * single user/assistant exchange as {@code {"prompt", "response"}}, anything else as
 * {@code {"messages": [...]}}.
 */
public final class InstructionWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InstructionWriter() {
    }

    /** Writes the file whole (a temporary file moved into place). */
    public static void write(List<InstructionExample> examples, Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (InstructionExample e : examples) {
            out.write(MAPPER.writeValueAsBytes(toJson(e)));
            out.write('\n');
        }
        AtomicFiles.write(file, out.toByteArray());
    }

    static ObjectNode toJson(InstructionExample e) {
        ObjectNode o = MAPPER.createObjectNode();
        List<Message> m = e.messages();
        if (m.size() == 2 && m.get(0).role() == Role.USER) {
            o.put("prompt", m.get(0).content());
            o.put("response", m.get(1).content());
            return o;
        }
        var array = o.putArray("messages");
        for (Message msg : m) {
            array.addObject().put("role", msg.role().jsonName()).put("content", msg.content());
        }
        return o;
    }
}
