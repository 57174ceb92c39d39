package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.gpt4j.finetune.FineTuneOptions;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TrainableWeights;
import org.gpt4j.finetune.bert.BertTaskModel;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInit;
import org.gpt4j.tokenizer.WordPieceTokenizer;

/**
 * {@code finetune --model BERT_DIR}: BERT's fine-tuning (Devlin et al. 2018, section 4) with the
 * command's data, loop, progress and output. The classifier reads the pooled [CLS] state; every
 * weight is trained; there is no auxiliary LM loss, and LoRA (which adapts a GPT's named layers)
 * is refused.
 */
final class BertFineTuning {

    /**
     * The default peak rate for a BERT: the largest of the rates Turc et al. (2019) searched for
     * their compact BERTs ({1e-4, 5e-5, 3e-5}); small models take the larger ones.
     */
    static final double BERT_LR = 1e-4;

    private final FineTuneCommand c;

    BertFineTuning(FineTuneCommand command) {
        this.c = command;
    }

    Integer call() throws Exception {
        var parse = c.spec.commandLine().getParseResult();
        if (c.loraRank != null || c.loraAlpha != null || parse.hasMatchedOption("--lora-targets")) {
            throw new IllegalArgumentException(c.model + " is a BERT: LoRA here adapts a GPT's layers (c_attn, c_fc, ...);"
                    + " fine-tune the BERT in full (leave out --lora-rank)");
        }
        if (parse.hasMatchedOption("--lm-weight") && c.lmWeight != 0) {
            throw new IllegalArgumentException("--lm-weight is GPT-1's auxiliary language-modelling loss; a BERT is"
                    + " fine-tuned on the task's loss alone (leave it out or give 0)");
        }
        TaskFormat format = TaskFormat.fromConfigName(c.task);
        // a BertModel checkpoint without the pre-training heads is a base too: fine-tuning reads the encoder
        Bert base = BertModels.loadEncoder(c.model, "finetune");
        WordPieceTokenizer tokenizer = BertModels.tokenizer(c.model, base);
        if (c.dropout != null) {
            base = new Bert(base.config().withDropout(c.dropout), base.parameters());
        }
        if (c.fromScratch) {
            base = BertInit.randomBert(base.config(), c.seed);
        }
        int context = base.config().maxPositionEmbeddings();
        int length = c.maxLength == null ? context : c.maxLength;
        if (length > context) {
            throw new IllegalArgumentException("--max-length " + length + " exceeds the model's context (max_position_embeddings = "
                    + context + ")");
        }
        FineTuneOptions options = new FineTuneOptions(format, 0, c.epochs, c.lr != null ? c.lr : BERT_LR, c.batch, c.seed,
                c.warmup, c.weightDecay, c.clip, c.patience, length);
        TaskDataset trainSet = TaskDataset.readTraining(c.train, format, c.columns.columns());
        TaskDataset devSet = TaskDataset.read(c.dev, format, c.columns.columns(), trainSet.labels());
        BertTaskModel model = BertTaskModel.fromBase(base, format, trainSet.labels(), BertTaskModel.specialTokens(tokenizer), c.seed);
        long total = model.parameterCount();
        if (!c.json) {
            PrintWriter w = c.spec.commandLine().getOut();
            w.printf(Locale.ROOT, "%s: %,d train, %,d dev examples, %s; BERT %s%s, classifier on the pooled [CLS]%n",
                    format.configName(), trainSet.size(), devSet.size(), format.choices()
                            ? trainSet.labels().size() + " options each" : "labels " + trainSet.labels().names(),
                    c.model, c.fromScratch ? " (from scratch)" : "");
            w.printf(Locale.ROOT, "trainable parameters: %,d (every weight)%n", total);
            w.flush();
        }
        return c.train(model, tokenizer, options, TrainableWeights.all(model), trainSet, devSet, total);
    }
}
