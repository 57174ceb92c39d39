package org.gpt4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.io.AtomicFiles;

/**
 * {@code metrics.jsonl}: one JSON object per line, {@code "type": "step"} for every optimiser step
 * and {@code "type": "eval"} for every evaluation, each with its {@code step}. Lines are flushed as
 * written, so a crashed run keeps its curve; a resumed run first drops the lines past its step.
 */
public final class MetricsLog implements AutoCloseable {

    public static final String FILE = "metrics.jsonl";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BufferedWriter out;
    private final Path file;

    private MetricsLog(BufferedWriter out, Path file) {
        this.out = out;
        this.file = file;
    }

    /** Opens the log of {@code dir} for appending, keeping only lines with step <= {@code keepThrough}. */
    public static MetricsLog open(Path dir, long keepThrough) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            StringBuilder kept = new StringBuilder();
            for (JsonNode line : read(file)) {
                if (line.path("step").asLong(Long.MAX_VALUE) <= keepThrough) {
                    kept.append(MAPPER.writeValueAsString(line)).append('\n');
                }
            }
            AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        }
        return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), file);
    }

    public static ObjectNode record(String type, long step) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", type);
        n.put("step", step);
        return n;
    }

    public void write(ObjectNode line) throws IOException {
        try {
            out.write(MAPPER.writeValueAsString(line));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(file, e);
        }
    }

    /** Every line that parses as a JSON object (a torn last line from a crash is skipped). */
    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = MAPPER.readTree(line);
                if (n != null && n.isObject()) {
                    out.add(n);
                }
            } catch (IOException e) {
                // a line cut off by a crash: the rest of the log is still good
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
