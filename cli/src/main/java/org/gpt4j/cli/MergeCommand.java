package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.lora.AdapterMerge;
import org.gpt4j.finetune.lora.PeftAdapterConfig;
import org.gpt4j.finetune.lora.PeftAdapterDirectory;
import org.gpt4j.io.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j merge}: a base model and a LoRA adapter folded into one plain model directory. */
@Command(name = "merge", header = "Fold a LoRA adapter into its base model.", mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Merge a LoRA adapter (PEFT format, e.g. from finetune --lora-rank) into the base model it was",
            "trained on, as PEFT's merge_and_unload: W = W0 + (alpha/r) (B A)^T in every adapted layer and the",
            "adapter's token rows in wte. A SEQ_CLS adapter gives a fine-tuned task model directory",
            "(evaluate-task, classify; transformers' GPT2ForSequenceClassification), a CAUSAL_LM one a language",
            "model (generate, chat). The result computes what --model BASE --adapter DIR computes, without the",
            "adapter's extra products."})
final class MergeCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", required = true, paramLabel = "BASE", description = "The base model the adapter was trained on.")
    Path model;

    @Option(names = "--adapter", required = true, paramLabel = "DIR",
            description = "The LoRA adapter directory (adapter_config.json + adapter_model.safetensors).")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The merged model directory to write.")
    Path out;

    @Option(names = "--force", description = "Overwrite a model already in --out.")
    boolean force;

    @Option(names = "--json", description = "Print {\"out\", \"task_type\", \"layers\", \"r\", \"lora_alpha\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!PeftAdapterDirectory.isAdapter(adapter)) {
            throw new IllegalArgumentException(adapter.resolve(PeftAdapterConfig.FILE) + ": not found (--adapter must be a LoRA"
                    + " adapter directory)");
        }
        Path target = out.toAbsolutePath().normalize();
        if (target.equals(model.toAbsolutePath().normalize()) || target.equals(adapter.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must be a new directory, not the base model or the adapter");
        }
        if (Files.exists(out.resolve(ModelDirectory.CONFIG)) && !force) {
            throw new IllegalArgumentException(out + " already holds a model; choose another --out or add --force");
        }
        AdapterMerge.Result r = AdapterMerge.merge(model, adapter, out);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("out", out.toString());
            n.put("task_type", r.taskType().name());
            n.put("layers", r.layers());
            n.put("r", r.rank());
            n.put("lora_alpha", r.alpha());
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "merged %s (%s, r %d, alpha %s, %d layers) into %s: %s%n", adapter, r.taskType(), r.rank(),
                    r.alpha(), r.layers(), model, out);
        }
        w.flush();
        return 0;
    }
}
