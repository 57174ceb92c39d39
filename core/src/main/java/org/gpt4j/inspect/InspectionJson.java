package org.gpt4j.inspect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import org.gpt4j.model.Trace;

/**
 * The {@code inspect --json} object, streamed (a GPT-2 inspection holds T x 50,257 logits):
 * {@code tokens} [T], {@code logits} [T][V], {@code loss} (null when T = 1),
 * {@code attentions} [n_layer][n_head][T][T], {@code hidden_states} [n_layer + 1][T][n_embd].
 */
public final class InspectionJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private InspectionJson() {
    }

    public static void write(Inspection in, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            Trace trace = in.trace();
            int t = in.length();
            g.writeStartObject();
            g.writeArrayFieldStart("tokens");
            for (int id : in.tokens()) {
                g.writeNumber(id);
            }
            g.writeEndArray();
            g.writeFieldName("logits");
            writeMatrix(g, in.logits(), 0, t, in.vocabSize());
            g.writeFieldName("loss");
            if (in.loss() == null) {
                g.writeNull();
            } else {
                g.writeNumber(in.loss());
            }
            g.writeArrayFieldStart("attentions");
            for (float[] layer : trace.attentions()) {
                g.writeStartArray();
                for (int h = 0; h < trace.nHead(); h++) {
                    writeMatrix(g, layer, h * t * t, t, t);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("hidden_states");
            for (float[] state : trace.hiddenStates()) {
                writeMatrix(g, state, 0, t, trace.nEmbd());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    static void writeMatrix(JsonGenerator g, float[] data, int offset, int rows, int cols) throws IOException {
        g.writeStartArray();
        for (int r = 0; r < rows; r++) {
            g.writeStartArray();
            int o = offset + r * cols;
            for (int c = 0; c < cols; c++) {
                // A float, not a double: prints the shortest decimal that reads back as this float.
                g.writeNumber(data[o + c]);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }
}
