package org.gpt4j.finetune.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.finetune.LabelMap;
import org.gpt4j.finetune.SequenceClassifier;
import org.gpt4j.finetune.SpecialTokens;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskPredictor;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BertTaskModel's own rules: padding and batching leave every example's logits as they are alone,
 * similarity reads one order, the directory round-trips and still loads as a plain BERT, dropout
 * follows the seed, and there is no LM loss to ask for. (Agreement with transformers:
 * org.gpt4j.io.BertFineTuningParityTest.)
 */
class BertTaskModelTest {

    private static final SpecialTokens SPECIAL = new SpecialTokens(2, 3, 3, 0);
    private static final LabelMap LABELS = LabelMap.fromLabels(List.of("no", "yes"));

    @TempDir
    Path tmp;

    private static Bert bert(double dropout) {
        return BertInit.randomBert(BertConfig.of(30, 16, 2, 2).withDropout(dropout), 5);
    }

    private static List<int[][]> pairs(BertTaskModel model) {
        List<int[][]> out = new ArrayList<>();
        int[][] texts = {{5, 6, 7}, {8}, {9, 10, 11, 12, 13, 14}, {15, 16}};
        for (int i = 0; i < texts.length; i++) {
            out.add(model.sequences(texts[i], List.of(texts[(i + 1) % texts.length]), 32));
        }
        return out;
    }

    @Test
    void aPaddedBatchGivesEachExampleItsLogitsAlone() {
        BertTaskModel model = BertTaskModel.fromBase(bert(0), TaskFormat.ENTAILMENT, LABELS, SPECIAL, 1);
        List<int[][]> examples = pairs(model);
        assertThat(examples.get(0)).hasDimensions(1, 7);
        assertThat(examples.get(0)[0]).containsExactly(2, 5, 6, 7, 3, 8, 3).as("[CLS] a [SEP] b [SEP]");
        float[][] batched = TaskPredictor.probabilities(model, examples, 4);
        for (int i = 0; i < examples.size(); i++) {
            float[][] alone = TaskPredictor.probabilities(model, List.<int[][]>of(examples.get(i)), 1);
            for (int j = 0; j < 2; j++) {
                assertThat(batched[i][j]).isCloseTo(alone[0][j], org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void similarityReadsOneOrderAndMultipleChoiceOneSequencePerOption() {
        BertTaskModel similarity = BertTaskModel.fromBase(bert(0), TaskFormat.SIMILARITY, LABELS, SPECIAL, 1);
        assertThat(similarity.sequences(new int[] {5, 6}, List.of(new int[] {7}), 32)).hasDimensions(1, 6);
        BertTaskModel choice = BertTaskModel.fromBase(bert(0), TaskFormat.MULTIPLE_CHOICE, LabelMap.options(3), SPECIAL, 1);
        int[][] options = choice.sequences(new int[] {5, 6}, List.of(new int[] {7}, new int[] {8, 9}, new int[] {10}), 32);
        assertThat(options).hasNumberOfRows(3);
        assertThat(options[1]).containsExactly(2, 5, 6, 3, 8, 9, 3);
        assertThat(choice.head().weight()).hasSize(16).as("one score per option");
        SequenceClassifier.Losses l = choice.forward(TaskBatch.ofExamples(List.<int[][]>of(options, options), new int[] {1, 2},
                0), 0);
        assertThat(choice.logits()).hasSize(6);
        assertThat(l.task()).isCloseTo(Math.log(3), org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void savedDirectoryLoadsAsTheSameClassifierAndStillAsABert() throws Exception {
        BertTaskModel model = BertTaskModel.fromBase(bert(0), TaskFormat.ENTAILMENT, LABELS, SPECIAL, 1);
        List<int[][]> examples = pairs(model);
        model.setTraining(true, 1);
        model.forward(TaskBatch.ofExamples(examples, new int[] {0, 1, 1, 0}, 0), 0);
        model.backward(1f);
        Path dir = tmp.resolve("task");
        model.save(null, dir);
        String config = Files.readString(dir.resolve("config.json"));
        assertThat(config).contains("\"BertForSequenceClassification\"", "\"gpt4j_task\"", "\"yes\"", "\"model_type\" : \"bert\"");
        BertTaskModel loaded = BertTaskDirectory.load(dir);
        assertThat(loaded.format()).isEqualTo(TaskFormat.ENTAILMENT);
        assertThat(loaded.special()).isEqualTo(SPECIAL);
        assertThat(loaded.labels().names()).containsExactly("no", "yes");
        assertThat(TaskPredictor.probabilities(loaded, examples, 3)).isDeepEqualTo(TaskPredictor.probabilities(model, examples, 3));
        // fill-mask, embed and inspect read the same directory as a BERT: the classifier is passed over
        Bert plain = BertDirectory.load(dir);
        assertThat(plain.parameters().data("wte.weight")).containsExactly(model.bert().parameters().data("wte.weight"));
    }

    @Test
    void aMisshapenClassifierIsOneErrorNamingTheFile() throws Exception {
        BertTaskModel model = BertTaskModel.fromBase(bert(0), TaskFormat.CLASSIFICATION, LABELS, SPECIAL, 1);
        Path dir = tmp.resolve("task");
        model.save(null, dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"1\" : \"yes\"", "\"1\" : \"yes\", \"2\" : \"maybe\""));
        assertThatThrownBy(() -> BertTaskDirectory.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("classifier.weight");
    }

    @Test
    void dropoutFollowsTheSeedAndThereIsNoLanguageModelLoss() {
        List<Double> losses = new ArrayList<>();
        for (long seed : new long[] {1, 1, 2}) {
            BertTaskModel model = BertTaskModel.fromBase(bert(0.3), TaskFormat.ENTAILMENT, LABELS, SPECIAL, 1);
            model.setTraining(true, seed);
            losses.add(model.forward(TaskBatch.ofExamples(pairs(model), new int[] {0, 1, 1, 0}, 0), 0).total());
        }
        assertThat(losses.get(0)).isEqualTo(losses.get(1));
        assertThat(losses.get(0)).isNotEqualTo(losses.get(2));
        BertTaskModel model = BertTaskModel.fromBase(bert(0), TaskFormat.ENTAILMENT, LABELS, SPECIAL, 1);
        TaskBatch batch = TaskBatch.ofExamples(pairs(model), new int[] {0, 1, 1, 0}, 0);
        assertThatThrownBy(() -> model.forward(batch, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("language-modelling loss");
        assertThat(model.context()).as("max_position_embeddings").isEqualTo(512);
    }
}
