package org.gpt4j.finetune.bert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskEncoder;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;

/**
 * A BERT directory written by {@code gpt4j finetune} (fixtures/bert-finetune/gpt4j-entailment, a
 * 2-layer BERT fine-tuned for a few steps) loads in Hugging Face transformers as
 * BertForSequenceClassification with the logits gpt4j computes, and transformers' BertTokenizer
 * gives the ids gpt4j's entailment encoding does: hf_logits.json was written by
 * tools/reference/hf_bert_sequence_classification.py from that same directory.
 */
class HuggingFaceBertSequenceClassificationTest {

    @Test
    void savedDirectoryGivesTransformersIdsAndLogits() throws IOException, URISyntaxException {
        Path dir = Paths.get(getClass().getClassLoader().getResource("fixtures/bert-finetune/gpt4j-entailment").toURI());
        JsonNode hf = new ObjectMapper().readTree(dir.resolve("hf_logits.json").toFile());
        BertTaskModel model = BertTaskDirectory.load(dir);
        TaskEncoder encoder = new TaskEncoder(Tokenizers.load(dir), model, model.context());
        List<int[][]> examples = new ArrayList<>();
        for (int i = 0; i < hf.get("pairs").size(); i++) {
            JsonNode pair = hf.get("pairs").get(i);
            int[][] seqs = encoder.encode(pair.get(0).asText(), List.of(pair.get(1).asText()));
            JsonNode ids = hf.get("input_ids").get(i);
            int[] expected = new int[ids.size()];
            Arrays.setAll(expected, k -> ids.get(k).asInt());
            assertThat(seqs[0]).as("[CLS] a [SEP] b [SEP] of pair " + i).containsExactly(expected);
            examples.add(seqs);
        }
        int[] none = new int[examples.size()];
        Arrays.fill(none, -1);
        model.forward(TaskBatch.ofExamples(examples, none, model.special().pad()), 0);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < examples.size(); i++) {
            for (int j = 0; j < 2; j++) {
                double expected = hf.get("logits").get(i).get(j).asDouble();
                diff = Math.max(diff, Math.abs(model.logits()[i * 2 + j] - expected));
                scale = Math.max(scale, Math.abs(expected));
            }
        }
        System.out.printf(Locale.ROOT, "BertForSequenceClassification (transformers %s) vs gpt4j: max relative error %.2e%n",
                hf.get("transformers").asText(), diff / scale);
        assertThat(diff / scale).isLessThan(1e-5);
    }
}
