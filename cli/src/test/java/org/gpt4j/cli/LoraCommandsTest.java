package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.finetune.lora.PeftAdapterDirectory;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.LoraAdapters;
import org.gpt4j.model.LoraConfig;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA from the command line: {@code finetune --lora-rank} writes a PEFT adapter and reports its
 * trainable parameters; {@code evaluate-task} and {@code classify} run it with {@code --model BASE
 * --adapter DIR}; {@code merge} folds it into a directory that gives the same results alone; a
 * language-model adapter runs in {@code generate}; misuse is one error line.
 */
class LoraCommandsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path base() throws Exception {
        Path dir = tmp.resolve("base");
        CharTokenizer tok = CharTokenizer.fromText("abcdefghijklmnopqrstuvwxyz .");
        ModelDirectory.save(GptInit.randomGpt(GptConfig.gpt2(1, 2, 16, 32, tok.vocabSize()), 1), dir);
        Tokenizers.save(tok, dir);
        return dir;
    }

    private Path tsv(String name, String rows) throws Exception {
        return Files.writeString(tmp.resolve(name), "sentence\tlabel\n" + rows);
    }

    @Test
    void finetuneWithLoraThenEvaluateClassifyAndMerge() throws Exception {
        Path base = base();
        Path train = tsv("train.tsv", "a fine film .\tgood\na dull film .\tbad\nfine .\tgood\ndull .\tbad\n");
        Path dev = tsv("dev.tsv", "fine fine .\tgood\ndull dull .\tbad\nfine film\tgood\n");
        Path out = tmp.resolve("lora");
        Cli.Result r = Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString(), "--epochs", "2", "--batch", "2", "--lr", "1e-2",
                "--lora-rank", "2", "--lora-targets", "c_attn,mlp.c_proj", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        JsonNode summary = MAPPER.readTree(lines[lines.length - 1]);
        // c_attn: A [2,16] + B [48,2]; mlp.c_proj: A [2,64] + B [16,2]; 4 token rows and a 2-label head of 16.
        assertThat(summary.get("trainable_parameters").asLong()).isEqualTo(32 + 96 + 128 + 32 + 4 * 16 + 2 * 16);
        assertThat(summary.get("lora_rank").asInt()).isEqualTo(2);
        assertThat(summary.get("parameters").asLong()).isGreaterThan(summary.get("trainable_parameters").asLong());
        assertThat(out.resolve("adapter_config.json")).exists();
        assertThat(MAPPER.readTree(out.resolve("adapter_config.json").toFile()).get("lora_alpha").asInt()).isEqualTo(4);

        Cli.Result e = Cli.run("evaluate-task", "--model", base.toString(), "--adapter", out.toString(), "--data", dev.toString(),
                "--json");
        assertThat(e.exitCode()).as(e.err()).isZero();
        JsonNode m = MAPPER.readTree(e.out());
        assertThat(m.get("n").asInt()).isEqualTo(3);
        assertThat(m.get("accuracy").asDouble()).isEqualTo(summary.get("last_dev_accuracy").asDouble());

        Cli.Result c = Cli.run("classify", "--model", base.toString(), "--adapter", out.toString(), "--text", "fine film", "--json");
        assertThat(c.exitCode()).as(c.err()).isZero();

        Path merged = tmp.resolve("merged");
        Cli.Result mg = Cli.run("merge", "--model", base.toString(), "--adapter", out.toString(), "--out", merged.toString(),
                "--json");
        assertThat(mg.exitCode()).as(mg.err()).isZero();
        assertThat(MAPPER.readTree(mg.out()).get("task_type").asText()).isEqualTo("SEQ_CLS");
        Cli.Result em = Cli.run("evaluate-task", "--model", merged.toString(), "--data", dev.toString(), "--json");
        assertThat(em.exitCode()).as(em.err()).isZero();
        assertThat(MAPPER.readTree(em.out()).get("accuracy").asDouble()).isEqualTo(m.get("accuracy").asDouble());
        Cli.Result cm = Cli.run("classify", "--model", merged.toString(), "--text", "fine film", "--json");
        JsonNode p1 = MAPPER.readTree(c.out());
        JsonNode p2 = MAPPER.readTree(cm.out());
        assertThat(p2.get("label").asText()).isEqualTo(p1.get("label").asText());
        assertThat(p2.get("probability").asDouble()).isCloseTo(p1.get("probability").asDouble(),
                org.assertj.core.data.Offset.offset(1e-5));

        // Misuse: one error line each.
        assertError(Cli.run("evaluate-task", "--model", out.toString(), "--data", dev.toString()), "is a LoRA adapter", "--adapter");
        assertError(Cli.run("classify", "--model", merged.toString(), "--adapter", out.toString(), "--text", "x"),
                "already a fine-tuned task model");
        assertError(Cli.run("generate", "--model", base.toString(), "--adapter", out.toString(), "--tokens", "1,2"),
                "'task_type' is SEQ_CLS");
        assertError(Cli.run("merge", "--model", base.toString(), "--adapter", out.toString(), "--out", merged.toString()),
                "already holds a model");
        assertError(Cli.run("merge", "--model", base.toString(), "--adapter", base.toString(), "--out", tmp.resolve("m2").toString()),
                "adapter_config.json", "not found");
        assertError(Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", tmp.resolve("x").toString(), "--lora-alpha", "4"), "--lora-alpha needs --lora-rank");
        assertError(Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", tmp.resolve("x").toString(), "--lora-targets", "c_fc"), "--lora-targets needs --lora-rank");
        assertError(Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", tmp.resolve("y").toString(), "--lora-rank", "2", "--lora-targets", "q_proj"),
                "'q_proj'");
        assertError(Cli.run("finetune", "--task", "classification", "--model", base.toString(), "--train", train.toString(),
                "--dev", dev.toString(), "--out", out.toString(), "--lora-rank", "2"), "already holds a model");
    }

    @Test
    void languageModelAdapterRunsInGenerateAndMergesToTheSameTokens() throws Exception {
        Path base = base();
        Gpt gpt = ModelDirectory.load(base);
        LoraAdapters lora = LoraAdapters.initialized(gpt.config(), new LoraConfig(4, 8, List.of("c_attn", "c_fc"), false), 2);
        SplittableRandom rng = new SplittableRandom(9);
        for (LoraAdapters.Module mod : lora.modules()) {
            float[] b = lora.parameters().data(mod.name() + LoraAdapters.B);
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rng.nextGaussian();
            }
        }
        Path adapter = tmp.resolve("lm-adapter");
        PeftAdapterDirectory.saveLanguageModel(gpt.withAdapters(lora), null, base.toString(), adapter);
        String[] prompt = {"--tokens", "1,2,3", "--max-new-tokens", "8", "--greedy", "--json"};
        Cli.Result withAdapter = Cli.run(concat(new String[] {"generate", "--model", base.toString(), "--adapter", adapter.toString()},
                prompt));
        assertThat(withAdapter.exitCode()).as(withAdapter.err()).isZero();
        Cli.Result plain = Cli.run(concat(new String[] {"generate", "--model", base.toString()}, prompt));
        Cli.Result bf16 = Cli.run(concat(new String[] {"generate", "--model", base.toString(), "--adapter", adapter.toString(),
            "--weights", "bf16"}, prompt));
        assertThat(bf16.exitCode()).as("an adapter on a bf16 base: " + bf16.err()).isZero();
        assertThat(withAdapter.out()).as("the adapter changes the model").isNotEqualTo(plain.out());

        Path merged = tmp.resolve("merged-lm");
        assertThat(Cli.run("merge", "--model", base.toString(), "--adapter", adapter.toString(), "--out", merged.toString())
                .exitCode()).isZero();
        Cli.Result fromMerged = Cli.run(concat(new String[] {"generate", "--model", merged.toString()}, prompt));
        assertThat(fromMerged.out()).isEqualTo(withAdapter.out());
        assertError(Cli.run("classify", "--model", base.toString(), "--adapter", adapter.toString(), "--text", "x"),
                "'task_type' is CAUSAL_LM");
    }

    @Test
    void helpExplainsEveryLoraOption() {
        String ft = Cli.run("finetune", "--help").out();
        assertThat(ft).contains("--lora-rank=R").contains("--lora-alpha=A").contains("--lora-targets=NAMES");
        for (String cmd : new String[] {"evaluate-task", "classify", "generate", "chat"}) {
            assertThat(Cli.run(cmd, "--help").out()).as(cmd).contains("--adapter=DIR");
        }
        assertThat(Cli.run("merge", "--help").out()).contains("--model=BASE").contains("--adapter=DIR").contains("--out=DIR");
    }

    private static void assertError(Cli.Result r, String... parts) {
        assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        for (String p : parts) {
            assertThat(r.err()).contains(p);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
