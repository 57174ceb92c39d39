package org.gpt4j.finetune.instruct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.gpt4j.finetune.TaskDataException;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.train.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instruction-tuning loop teaches a tiny GPT to answer (and to stop), keeps the lowest dev
 * loss in best/, and writes a directory that loads back as a plain model whose stored chat
 * template gpt4j picks up and answers with as before.
 */
class InstructionTunerTest {

    @TempDir
    Path dir;

    private static final CharTokenizer CHARS = CharTokenizer.fromText("\nabcdABCD?");

    /** "a?" -> "AA", "b?" -> "BB", ...: an answer that depends on the question and has to end. */
    private static List<InstructionExample> examples(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<InstructionExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            char c = "abcd".charAt(rng.nextInt(4));
            String up = String.valueOf(Character.toUpperCase(c));
            out.add(new InstructionExample(List.of(Message.user(c + "?"), Message.assistant(up.repeat(1 + (c - 'a') % 2))), i + 1));
        }
        return out;
    }

    @Test
    void learnsToAnswerAndStopAndSavesADirectoryWithItsTemplate() throws IOException {
        Gpt base = GptInit.randomGpt(GptConfig.gpt2(2, 2, 32, 16, CHARS.vocabSize()), 5);
        InstructionModel model = InstructionModel.fromBase(base, CHARS, 3);
        assertThat(model.gpt().config().vocabSize()).isEqualTo(CHARS.vocabSize() + 4);
        assertThat(base.config().vocabSize()).as("the base is left as it was").isEqualTo(CHARS.vocabSize());
        List<InstructionExample> train = examples(128, 1);
        List<InstructionExample> dev = examples(16, 2);
        Path out = dir.resolve("out");
        InstructionOptions options = new InstructionOptions(12, 3e-3, 8, 1, 0.05, 0.0, 1.0, 0, 16);

        InstructionTuner.Summary s = new InstructionTuner(model, options, out).run(dir.resolve("train.jsonl"), train,
                dir.resolve("dev.jsonl"), dev, new InstructionTuner.Listener() { });

        assertThat(s.epochs()).isEqualTo(12);
        assertThat(s.steps()).isEqualTo(12 * 16);
        assertThat(s.devLoss()).as("dev loss").isLessThan(0.1);
        assertThat(s.devExactMatch()).as("dev exact match").isEqualTo(1.0);
        List<JsonNode> log = MetricsLog.read(out.resolve(MetricsLog.FILE));
        List<JsonNode> evals = log.stream().filter(n -> n.get("type").asText().equals("eval")).toList();
        assertThat(evals).hasSize(12);
        assertThat(evals.getFirst().get("dev_loss").asDouble()).isGreaterThan(evals.getLast().get("dev_loss").asDouble());
        assertThat(evals.getLast().has("dev_exact_match")).isTrue();

        // best/ is a plain model directory with the template's tokens and its chat template.
        Path best = out.resolve(InstructionTuner.BEST);
        Gpt loaded = ModelDirectory.load(best);
        Tokenizer tokenizer = Tokenizers.load(best);
        assertThat(loaded.config().vocabSize()).isEqualTo(tokenizer.vocabSize()).isEqualTo(CHARS.vocabSize() + 4);
        InstructionModelDirectory.Selected selected = InstructionModelDirectory.chatFormat(best, tokenizer, OptionalInt.empty());
        assertThat(selected.format()).isInstanceOf(ChatTemplate.class);
        assertThat(selected.note()).isNull();
        InstructionEvaluator.ExactMatch again = InstructionEvaluator.exactMatch(loaded, tokenizer, selected.format(), dev);
        assertThat(again.exactMatch()).isEqualTo(s.devExactMatch());
        assertThat(again.predictions().getFirst().generated()).isEqualTo(dev.getFirst().response());

        ObjectMapper json = new ObjectMapper();
        JsonNode tc = json.readTree(best.resolve(InstructionModelDirectory.TOKENIZER_CONFIG).toFile());
        assertThat(tc.get("chat_template").asText()).isEqualTo(ChatTemplate.JINJA);
        JsonNode config = json.readTree(best.resolve(ModelDirectory.CONFIG).toFile());
        assertThat(config.get("eos_token_id").asInt()).isEqualTo(ChatTemplate.of(tokenizer).end());
        JsonNode map = json.readTree(best.resolve(InstructionModelDirectory.SPECIAL_TOKENS_MAP).toFile());
        assertThat(map.get("additional_special_tokens")).hasSize(4);

        // Tuning the tuned model further keeps its vocabulary: the tokens are there already.
        InstructionModel again2 = InstructionModel.fromBase(loaded, tokenizer, 9);
        assertThat(again2.gpt().config().vocabSize()).isEqualTo(loaded.config().vocabSize());
    }

    @Test
    void aForeignOrMissingTemplateFallsBackToThePlainTranscript() throws IOException {
        Tokenizer tokenizer = ChatTemplate.addTo(CHARS);
        assertThat(InstructionModelDirectory.chatFormat(dir, tokenizer, OptionalInt.empty()).format())
                .isInstanceOf(PlainTranscript.class);
        java.nio.file.Files.writeString(dir.resolve(InstructionModelDirectory.TOKENIZER_CONFIG),
                "{\"chat_template\": \"{% for m in messages %}{{ m.content }}{% endfor %}\"}");
        InstructionModelDirectory.Selected s = InstructionModelDirectory.chatFormat(dir, tokenizer, OptionalInt.empty());
        assertThat(s.format()).isInstanceOf(PlainTranscript.class);
        assertThat(s.note()).contains("not gpt4j's");
        java.nio.file.Files.writeString(dir.resolve(InstructionModelDirectory.TOKENIZER_CONFIG),
                "{\"chat_template\": " + new ObjectMapper().writeValueAsString(ChatTemplate.JINJA) + "}");
        assertThat(InstructionModelDirectory.chatFormat(dir, tokenizer, OptionalInt.empty()).format()).isInstanceOf(ChatTemplate.class);
        assertThat(InstructionModelDirectory.chatFormat(dir, CHARS, OptionalInt.empty()).note()).contains("lacks");
    }

    @Test
    void aConversationLongerThanTheContextIsAnErrorNamingItsLine() {
        ChatTemplate template = ChatTemplate.of(ChatTemplate.addTo(CHARS));
        List<InstructionExample> data = List.of(new InstructionExample(List.of(Message.user("a?"), Message.assistant("A")), 1),
                new InstructionExample(List.of(Message.user("abcdabcdabcd?"), Message.assistant("A")), 2));
        Path file = dir.resolve("train.jsonl");
        assertThatThrownBy(() -> InstructionTuner.render(template, file, data, 16)).isInstanceOf(TaskDataException.class)
                .hasMessageStartingWith(file + ":2: the conversation is 20 tokens");
        List<InstructionExample> foreign = List.of(new InstructionExample(List.of(Message.user("z?"), Message.assistant("A")), 5));
        assertThatThrownBy(() -> InstructionTuner.render(template, file, foreign, 16)).hasMessageStartingWith(file + ":5: ")
                .hasMessageContaining("'z'");
    }

    @Test
    void aModelAndTokenizerOfDifferentSizesAreRefused() {
        Gpt base = GptInit.randomGpt(GptConfig.gpt2(1, 1, 8, 8, CHARS.vocabSize() + 3), 5);
        assertThatThrownBy(() -> InstructionModel.fromBase(base, CHARS, 1)).hasMessageContaining("must agree");
    }
}
