package org.gpt4j.server.studio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.PositionalEncoding;
import org.gpt4j.tokenizer.Tokenizers;

/** Small model directories written for the studio's tests: GPT-2's tokenizer, random weights. */
final class TestModels {

    static final int CONTEXT = 64;

    private TestModels() {
    }

    /** A 2-layer, 2-head, 32-wide GPT with GPT-2's vocabulary and tokenizer. */
    static Path tiny(Path dir, PositionalEncoding positions) throws IOException {
        GptConfig config = GptConfig.gpt2(2, 2, 32, CONTEXT, 50257).withPositionalEncoding(positions);
        ModelDirectory.save(GptInit.randomGpt(config, 7), dir);
        Tokenizers.save(Tokenizers.gpt2(), dir);
        return dir;
    }

    /** A 2-layer GPT with a vocabulary of {@link #BARE_VOCAB} and no tokenizer files: inputs are token ids. */
    static Path withoutTokenizer(Path dir) throws IOException {
        GptConfig config = GptConfig.gpt2(2, 2, 32, CONTEXT, BARE_VOCAB);
        ModelDirectory.save(GptInit.randomGpt(config, 11), dir);
        return dir;
    }

    static final int BARE_VOCAB = 100;

    /** The WordPiece vocabulary of {@link #bert}: BERT's five special tokens, then words. */
    static final java.util.List<String> BERT_VOCAB = java.util.List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", ".", "a", "cat");

    /** A 2-layer, 2-head, 16-wide BERT (BertForPreTraining's directory) with a vocab.txt. */
    static Path bert(Path dir) throws IOException {
        org.gpt4j.model.BertConfig config = org.gpt4j.model.BertConfig.of(BERT_VOCAB.size(), 16, 2, 2);
        org.gpt4j.io.BertDirectory.save(org.gpt4j.model.BertInit.randomBert(config, 13), dir);
        Files.write(dir.resolve("vocab.txt"), BERT_VOCAB);
        return dir;
    }

    /** A metrics.jsonl as the trainer writes it, ending with a line cut off mid-write. */
    static void metrics(Path dir) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int step = 1; step <= 40; step++) {
            s.append("{\"type\":\"step\",\"step\":").append(step).append(",\"loss\":").append(10.8 - 0.1 * step)
                    .append(",\"lr\":0.001}\n");
            if (step % 10 == 0) {
                s.append("{\"type\":\"eval\",\"step\":").append(step).append(",\"train_loss\":").append(10.7 - 0.1 * step)
                        .append(",\"val_loss\":").append(10.9 - 0.09 * step).append(",\"best\":true,\"sample\":\"To be, or not ")
                        .append(step).append("\"}\n");
            }
        }
        s.append("{\"type\":\"step\",\"step\":41,\"lo");
        Files.writeString(dir.resolve(TrainingView.METRICS), s, StandardCharsets.UTF_8);
    }

    /** A metrics.jsonl as {@code rl ppo} writes it: a line per step, and scored samples every 5 steps. */
    static void ppoMetrics(Path dir) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int step = 1; step <= 20; step++) {
            s.append("{\"type\":\"ppo\",\"step\":").append(step).append(",\"score\":").append(-0.4 + 0.08 * step)
                    .append(",\"kl\":").append(0.2 * (step - 1)).append(",\"beta\":0.2,\"entropy\":").append(5.2 - 0.02 * step)
                    .append(",\"clip_fraction\":").append(step == 1 ? 0 : 0.05).append(",\"value_loss\":0.5")
                    .append(",\"policy_loss\":0.01,\"approx_kl\":").append(0.001 * step).append("}\n");
            if (step % 5 == 0) {
                s.append("{\"type\":\"sample\",\"step\":").append(step)
                        .append(",\"prompt\":\"This film\",\"response\":\" was great fun ").append(step)
                        .append("\",\"score\":").append(0.1 * step).append("}\n");
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(TrainingView.METRICS), s, StandardCharsets.UTF_8);
    }
}
