package org.gpt4j.finetune.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskEncoder;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;

/**
 * A BertForSequenceClassification fine-tuned elsewhere, as transformers writes it (no pre-training
 * heads, no gpt4j_task block; fixtures/bert-finetune/hf-classifier from
 * tools/reference/hf_bert_classifier_fixture.py): gpt4j loads it as a classifier and gives
 * transformers' ids and logits for single texts and, read as entailment, for pairs.
 */
class HuggingFaceBertClassifierTest {

    @Test
    void aClassifierFromTransformersGivesItsIdsAndLogits() throws Exception {
        Path dir = Paths.get(getClass().getClassLoader().getResource("fixtures/bert-finetune/hf-classifier").toURI());
        JsonNode hf = new ObjectMapper().readTree(dir.resolve("hf_logits.json").toFile());
        BertTaskModel model = BertTaskDirectory.load(dir);
        assertThat(model.format()).isEqualTo(TaskFormat.CLASSIFICATION);
        assertThat(model.labels().names()).containsExactly("negative", "neutral", "positive");
        int texts = hf.get("texts").size();
        double error = 0;
        for (int i = 0; i < hf.get("input_ids").size(); i++) {
            boolean pair = i >= texts;
            BertTaskModel m = pair ? model.withFormat(TaskFormat.ENTAILMENT) : model;
            TaskEncoder encoder = new TaskEncoder(Tokenizers.load(dir), m, m.context());
            int[][] seqs = pair
                    ? encoder.encode(hf.get("pairs").get(i - texts).get(0).asText(), List.of(hf.get("pairs").get(i - texts).get(1).asText()))
                    : encoder.encode(hf.get("texts").get(i).asText(), List.of());
            JsonNode ids = hf.get("input_ids").get(i);
            int[] expected = new int[ids.size()];
            Arrays.setAll(expected, k -> ids.get(k).asInt());
            assertThat(seqs[0]).as("ids of input " + i).containsExactly(expected);
            m.forward(TaskBatch.ofExamples(List.<int[][]>of(seqs), new int[] {-1}, m.special().pad()), 0);
            for (int j = 0; j < 3; j++) {
                double want = hf.get("logits").get(i).get(j).asDouble();
                error = Math.max(error, Math.abs(m.logits()[j] - want) / Math.max(1e-3, Math.abs(want)));
            }
        }
        System.out.printf(Locale.ROOT, "BertForSequenceClassification from transformers %s: max relative error %.2e%n",
                hf.get("transformers").asText(), error);
        assertThat(error).isLessThan(1e-5);
    }

    @Test
    void withoutItsPreTrainingHeadsItIsAnEncoderNotAMaskedLm() throws Exception {
        Path dir = Paths.get(getClass().getClassLoader().getResource("fixtures/bert-finetune/hf-classifier").toURI());
        assertThatThrownBy(() -> BertDirectory.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cls.predictions").hasMessageContaining("pre-training heads");
        assertThat(BertDirectory.loadEncoder(dir).parameters().data("mlm.bias")).containsOnly(0f);
        BertTaskModel model = BertTaskDirectory.load(dir);
        assertThatThrownBy(() -> model.withFormat(TaskFormat.MULTIPLE_CHOICE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one-score head");
    }

}
