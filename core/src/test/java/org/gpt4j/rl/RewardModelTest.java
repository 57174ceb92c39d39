package org.gpt4j.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.finetune.FineTuneOptions;
import org.gpt4j.finetune.FineTuner;
import org.gpt4j.finetune.LabelMap;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reward model learns made-up preferences (responses of a's over responses of b's) through
 * fine-tuning's loop: pairwise dev accuracy, the saved directory scores chosen above rejected, a
 * sequence's score is the same alone as beside its rival, and the loss is -log sigma(r_w - r_l).
 */
class RewardModelTest {

    @TempDir
    Path dir;

    @Test
    void learnsPreferencesAndTheSavedModelScoresChosenAboveRejected() throws IOException {
        Tokenizer tokenizer = CharTokenizer.fromText("ab .xyz");
        Path trainFile = pairs(dir.resolve("train.jsonl"), 96, 1);
        Path devFile = pairs(dir.resolve("dev.jsonl"), 32, 2);
        List<PreferencePair> trainPairs = PreferenceReader.read(trainFile);
        List<PreferencePair> devPairs = PreferenceReader.read(devFile);
        assertThat(trainPairs).hasSize(96 + 3 * 10);
        TaskModel model = RewardModel.fromBase(GptInit.randomGpt(GptConfig.gpt2(2, 2, 16, 48, tokenizer.vocabSize()), 7), 3);
        FineTuneOptions o = new FineTuneOptions(TaskFormat.MULTIPLE_CHOICE, 0, 4, 3e-3, 8, 1, 0.05, 0.01, 1.0, 0, 48);
        Path out = dir.resolve("rm");
        FineTuner.Summary s = new FineTuner(model, tokenizer, o, out)
                .keepingGroupsTogether(trainPairs.stream().mapToInt(PreferencePair::group).toArray())
                .run(RewardModel.comparisons(trainFile, trainPairs), RewardModel.comparisons(devFile, devPairs),
                        new FineTuner.Listener() { });
        assertThat(s.devAccuracy()).as("pairwise dev accuracy").isGreaterThanOrEqualTo(0.9);

        RewardModel rm = RewardModel.load(out.resolve("best"), null);
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (PreferencePair p : devPairs) {
            prompts.add(p.prompt());
            responses.add(p.chosen());
            prompts.add(p.prompt());
            responses.add(p.rejected());
        }
        float[] r = rm.scores(tokenizer, prompts, responses, 5);
        int right = 0;
        for (int i = 0; i < devPairs.size(); i++) {
            right += r[2 * i] > r[2 * i + 1] ? 1 : 0;
        }
        assertThat((double) right / devPairs.size()).isGreaterThanOrEqualTo(0.9);
        // batching does not change a score (right padding is exact under the causal mask)
        float[] alone = rm.scores(tokenizer, prompts.subList(0, 1), responses.subList(0, 1), 1);
        assertThat(alone[0]).isCloseTo(r[0], org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void theComparisonLossIsMinusLogSigmoidOfTheScoreDifference() {
        Tokenizer tokenizer = CharTokenizer.fromText("ab .xyz");
        TaskModel model = RewardModel.fromBase(GptInit.randomGpt(GptConfig.gpt2(1, 2, 16, 32, tokenizer.vocabSize()), 2), 5);
        int[][] example = TaskFormat.MULTIPLE_CHOICE.sequences(tokenizer.encode("xy"),
                List.of(tokenizer.encode("aaa"), tokenizer.encode("b b")), model.special(), 32);
        double loss = model.forward(TaskBatch.ofExamples(List.<int[][]>of(example), new int[] {0}, model.special().pad()), 0)
                .task();
        float[] r = model.sequenceScores(TaskBatch.of(List.of(example[0], example[1]), new int[] {-1, -1}, model.special().pad()));
        double expected = Math.log1p(Math.exp(-(r[0] - r[1])));
        assertThat(loss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void onlyRewardModelsAndClassifiersWithALabelAreRewards() {
        Gpt base = GptInit.randomGpt(GptConfig.gpt2(1, 2, 16, 32, 10), 2);
        TaskModel classifier = TaskModel.fromBase(base, TaskFormat.CLASSIFICATION, LabelMap.fromLabels(List.of("negative", "positive")), 1);
        assertThat(RewardModel.of(classifier, "positive").model()).isSameAs(classifier);
        assertThatThrownBy(() -> RewardModel.of(classifier, null)).hasMessageContaining("needs --label");
        assertThatThrownBy(() -> RewardModel.of(classifier, "happy")).hasMessageContaining("not one of");
        TaskModel entailment = TaskModel.fromBase(base, TaskFormat.ENTAILMENT, LabelMap.fromLabels(List.of("no", "yes")), 1);
        assertThatThrownBy(() -> RewardModel.of(entailment, null)).hasMessageContaining("is not a reward");
    }

    /** n pairs (a prompt of x/y/z, a response of a's chosen over one of b's) plus 10 rankings of 3. */
    private static Path pairs(Path file, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("{\"prompt\": \"%s\", \"chosen\": \"%s\", \"rejected\": \"%s\"}%n", text(rng, "xyz", 4),
                    text(rng, "aa.", 6), text(rng, "bb.", 6)));
        }
        for (int i = 0; i < 10; i++) {
            s.append(String.format("{\"prompt\": \"%s\", \"ranking\": [\"%s\", \"%s\", \"%s\"]}%n", text(rng, "xyz", 4),
                    "a" + text(rng, "aaa ", 5), "ab" + text(rng, "ab ", 4), "b" + text(rng, "bbb ", 5)));
        }
        return Files.writeString(file, s);
    }

    private static String text(SplittableRandom rng, String alphabet, int max) {
        StringBuilder t = new StringBuilder();
        int len = 1 + rng.nextInt(max);
        for (int k = 0; k < len; k++) {
            t.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        return t.toString();
    }
}
