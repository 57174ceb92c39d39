package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A directory written by {@code gpt4j finetune} (fixtures/finetune/hf-sequence-classification,
 * a 2-layer model fine-tuned for a few steps) loads in Hugging Face transformers as
 * GPT2ForSequenceClassification with the task logits gpt4j computes: hf_logits.json was written
 * by tools/reference/hf_sequence_classification.py from that same directory.
 */
class HuggingFaceSequenceClassificationTest {

    @Test
    void savedDirectoryGivesTransformersLogits() throws IOException {
        Path dir = TaskModelParityTest.resource("fixtures/finetune/hf-sequence-classification");
        JsonNode hf = new ObjectMapper().readTree(dir.resolve("hf_logits.json").toFile());
        TaskModel model = TaskModelDirectory.load(dir);
        List<int[]> seqs = new ArrayList<>();
        for (JsonNode s : hf.get("sequences")) {
            int[] ids = new int[s.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = s.get(i).asInt();
            }
            seqs.add(ids);
        }
        int labels = model.labels().size();
        double diff = 0;
        double scale = 0;
        // One batch, right-padded: also checks that padding leaves every sequence's logits alone.
        int[] none = new int[seqs.size()];
        Arrays.fill(none, -1);
        model.forward(TaskBatch.of(seqs, none, model.special().pad()), 0);
        float[] logits = model.logits();
        for (int i = 0; i < seqs.size(); i++) {
            for (int j = 0; j < labels; j++) {
                double expected = hf.get("logits").get(i).get(j).asDouble();
                diff = Math.max(diff, Math.abs(logits[i * labels + j] - expected));
                scale = Math.max(scale, Math.abs(expected));
            }
        }
        System.out.printf(Locale.ROOT, "GPT2ForSequenceClassification (transformers %s) vs gpt4j: max relative error %.2e%n",
                hf.get("transformers").asText(), diff / scale);
        assertThat(diff / scale).isLessThan(1e-5);
    }
}
