package org.gpt4j.inspect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInput;
import org.gpt4j.model.BertOutput;
import org.gpt4j.model.Trace;

/**
 * The {@code inspect --json} object for a BERT, streamed, with Hugging Face's BertForPreTraining
 * output names: {@code tokens} [T], {@code token_type_ids} [T], {@code logits} [T][V] (the MLM
 * head's scores, HF's prediction_logits), {@code seq_relationship_logits} [2],
 * {@code attentions} [L][H][T][T] (full: no causal zeros), {@code hidden_states} [L + 1][T][C]
 * (entry 0 the embeddings' output, entry l block l's).
 */
public final class BertInspectionJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private BertInspectionJson() {
    }

    /** Runs {@code bert} on one sequence (B = 1) and writes the object. */
    public static void write(Bert bert, BertInput in, Writer out) throws IOException {
        if (in.batch() != 1) {
            throw new IllegalArgumentException("inspect reads one sequence, got " + in.batch());
        }
        BertOutput result = bert.forward(in);
        Trace trace = bert.trace();
        int t = in.length();
        int v = bert.config().vocabSize();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeArrayFieldStart("tokens");
            for (int id : in.tokens()) {
                g.writeNumber(id);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("token_type_ids");
            for (int i = 0; i < t; i++) {
                g.writeNumber(in.tokenTypes() == null ? 0 : in.tokenTypes()[i]);
            }
            g.writeEndArray();
            g.writeFieldName("logits");
            InspectionJson.writeMatrix(g, result.mlmLogits(), 0, t, v);
            g.writeArrayFieldStart("seq_relationship_logits");
            g.writeNumber(result.nspLogit(0, 0));
            g.writeNumber(result.nspLogit(0, 1));
            g.writeEndArray();
            g.writeArrayFieldStart("attentions");
            for (float[] layer : trace.attentions()) {
                g.writeStartArray();
                for (int h = 0; h < trace.nHead(); h++) {
                    InspectionJson.writeMatrix(g, layer, h * t * t, t, t);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("hidden_states");
            for (float[] state : trace.hiddenStates()) {
                InspectionJson.writeMatrix(g, state, 0, t, trace.nEmbd());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }
}
