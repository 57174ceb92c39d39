package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.train.BigramModel;
import org.gpt4j.train.RunDirectory;
import org.gpt4j.train.TokenDataset;
import org.gpt4j.train.TokenizerSpec;

/** {@code train --model bigram}: count the training split, report both splits' loss, save. */
final class BigramTraining {

    private final TrainCommand cmd;
    private final Path dir;

    BigramTraining(TrainCommand cmd, Path dir) {
        this.cmd = cmd;
        this.dir = dir;
    }

    int run() throws Exception {
        if (cmd.resume != null || cmd.initFrom != null || !cmd.givenFlags().isEmpty() || cmd.preset != null) {
            throw new IllegalArgumentException("--model bigram only counts: it takes --data, --tokenizer, --out and --json");
        }
        RunDirectory.requireFresh(dir);
        long t0 = System.nanoTime();
        Tokenizer tok = TokenizerSpec.build(cmd.tokenizer == null ? "char" : cmd.tokenizer, cmd.data);
        TokenDataset d = cmd.prepareData(tok, dir, 1);
        long c0 = System.nanoTime();
        BigramModel m = BigramModel.count(d.train(), tok.vocabSize());
        double countSeconds = (System.nanoTime() - c0) / 1e9;
        double val = m.meanLoss(d.validation());
        double train = m.meanLoss(d.train());
        m.save(dir);
        Tokenizers.save(tok, dir);
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter w = cmd.spec.commandLine().getOut();
        if (cmd.json) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            TrainProgress.putLoss(n, "val_loss", val);
            TrainProgress.putLoss(n, "train_loss", train);
            n.put("steps", 0);
            n.put("tokens", d.train().length());
            n.put("tokens_per_second", d.train().length() / Math.max(countSeconds, 1e-9));
            n.put("seconds", seconds);
            n.put("model", "bigram");
            n.put("out", dir.toString());
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "bigram (add-one smoothing): val loss %.4f, train loss %.4f (a uniform guess: %.4f); saved to %s%n",
                    val, train, Math.log(tok.vocabSize()), dir);
        }
        w.flush();
        return 0;
    }
}
