package org.gpt4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.model.Bert;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.WordPieceTokenizer;

/**
 * A BERT pre-training run directory: a BertForPreTraining directory with its vocab.txt, the
 * training state and checkpoints a GPT run has, and {@code pretraining.json} recording the
 * objective so a resume keeps it. How {@code train --arch bert} opens one, and how each replica
 * of a cluster run opens the same one.
 */
public final class BertRun {

    public static final String OBJECTIVE = "pretraining.json";

    private BertRun() {
    }

    /** The trainer of {@code dir}: {@code bert} (fresh or restored) on {@code corpus} with {@code tok}'s special tokens. */
    public static BertPreTrainer trainer(Path dir, Bert bert, AdamW adamw, BertCorpus corpus, WordPieceTokenizer tok,
            boolean nsp, TrainingState state) {
        if (tok.maskId() < 0 || tok.clsId() < 0 || tok.sepId() < 0) {
            throw new IllegalArgumentException("the tokenizer lacks [MASK], [CLS] or [SEP]: BERT pre-training needs all three");
        }
        int[] specials = tok.specialTokens().values().stream().mapToInt(Integer::intValue).toArray();
        BertPreTrainer.Vocabulary vocab = new BertPreTrainer.Vocabulary(tok.clsId(), tok.sepId(), Math.max(tok.padId(), 0),
                tok.maskId(), specials);
        return new BertPreTrainer(bert, adamw, corpus, vocab, nsp, dir, state, m -> {
            Tokenizers.save(tok, m);
            AtomicFiles.write(m.resolve(OBJECTIVE), ("{\"objective\": \"" + (nsp ? "mlm+nsp" : "mlm") + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
        });
    }

    /**
     * The trainer continuing {@code dir} from its current checkpoint, reading {@code data} (which
     * must be the corpus the run was trained on: the files and the tokenizer are checked).
     */
    public static BertPreTrainer resume(Path dir, TrainingState state, List<Path> data) throws IOException {
        Path current = Checkpoint.current(dir);
        Bert saved = BertDirectory.load(current);
        Bert bert = new Bert(saved.config().withDropout(state.options().dropout()), saved.parameters());
        WordPieceTokenizer tok = tokenizer(dir, bert);
        RunDirectory.requireSameData(dir, state, TokenDataset.keyOf(data, TokenizerSpec.fingerprint(tok)));
        TrainingOptions o = state.options();
        AdamW adamw = new AdamW(bert.parameters(), o.beta1(), o.beta2(), AdamW.DEFAULT_EPS, o.weightDecay());
        Checkpoint.restoreOptimizer(current, adamw, bert.parameters(), state);
        return trainer(dir, bert, adamw, BertCorpus.read(data, tok::encode), tok, readNsp(dir), state);
    }

    /** The run's objective: true for MLM + NSP, false for the MLM alone. */
    public static boolean readNsp(Path dir) throws IOException {
        Path f = dir.resolve(OBJECTIVE);
        JsonNode n = Files.isRegularFile(f) ? new ObjectMapper().readTree(f.toFile()) : null;
        String objective = n == null ? null : n.path("objective").asText(null);
        if (!"mlm+nsp".equals(objective) && !"mlm".equals(objective)) {
            throw new ModelFormatException(f, "must say {\"objective\": \"mlm+nsp\"} or \"mlm\" (it records the run's objective)");
        }
        return objective.equals("mlm+nsp");
    }

    private static WordPieceTokenizer tokenizer(Path dir, Bert bert) throws IOException {
        Tokenizer tok = Tokenizers.loadIfPresent(dir);
        if (!(tok instanceof WordPieceTokenizer wordPiece)) {
            throw new ModelFormatException(dir, "holds no BERT vocab.txt: a BERT run keeps its WordPiece vocabulary beside the weights");
        }
        if (wordPiece.vocabSize() > bert.config().vocabSize()) {
            throw new ModelFormatException(dir.resolve("vocab.txt"), "has " + wordPiece.vocabSize()
                    + " tokens but config.json's vocab_size is " + bert.config().vocabSize());
        }
        return wordPiece;
    }
}
