package org.gpt4j.finetune.instruct;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/**
 * Instruction tuning agrees with PyTorch (tools/reference/instruct_reference.py, float64, which
 * renders the template from its documentation): the tokens and targets of two rendered
 * conversations (one with a system message and two assistant turns, contents with surrounding
 * whitespace), the prompt of a context, the right-padded batch, the loss over the assistant
 * tokens to 1e-5 relative, every parameter's gradient to 1e-4 relative, and each conversation's
 * loss alone (right padding changes nothing).
 */
class InstructionParityTest {

    @Test
    void responseOnlyLossAndGradientsMatchPyTorchReference() throws IOException {
        Path dir = resource("fixtures/instruct/masked-loss");
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("batch.json").toFile());
        Tokenizer tokenizer = ChatTemplate.addTo(CharTokenizer.fromText(meta.get("chars").asText()));
        ChatTemplate template = ChatTemplate.of(tokenizer);
        meta.get("added_tokens").properties().forEach(e ->
                assertThat(tokenizer.specialTokens().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue().asInt()));

        List<ChatTemplate.Rendered> rendered = new ArrayList<>();
        List<List<Message>> conversations = new ArrayList<>();
        for (int i = 0; i < meta.get("conversations").size(); i++) {
            List<Message> messages = messages(meta.get("conversations").get(i));
            conversations.add(messages);
            ChatTemplate.Rendered r = template.render(messages);
            JsonNode expected = meta.get("rendered").get(i);
            assertThat(r.tokens()).as("tokens of conversation %d", i).containsExactly(ints(expected.get("tokens")));
            assertThat(r.targets()).as("targets of conversation %d", i).containsExactly(ints(expected.get("targets")));
            rendered.add(r);
        }
        List<Message> second = conversations.get(1);
        assertThat(template.prompt(second.subList(0, second.size() - 1)))
                .containsExactly(ints(meta.get("prompt_of_second_context")));

        InstructionBatch batch = InstructionBatch.of(rendered, template.end());
        assertThat(batch.length()).isEqualTo(meta.get("T").asInt());
        assertThat(batch.tokens()).containsExactly(flat(meta.get("tokens")));
        assertThat(batch.targets()).containsExactly(flat(meta.get("targets")));

        Gpt gpt = ModelDirectory.load(dir);
        try (SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"))) {
            ForwardResult r = gpt.forward(batch.tokens(), batch.targets(), batch.batch(), batch.length());
            double lossError = rel(r.loss(), ref.readFloats("loss")[0]);
            gpt.parameters().zeroGrad();
            gpt.backward();
            double gradError = 0;
            String worst = "";
            for (ParameterSpec s : gpt.parameters().specs()) {
                double e = relativeError(gpt.parameters().grad(s.name()), ref.readFloats("grad." + s.name()));
                if (e > gradError) {
                    gradError = e;
                    worst = s.name();
                }
            }
            float[] each = ref.readFloats("loss_each");
            float[] counted = ref.readFloats("counted_each");
            for (int i = 0; i < rendered.size(); i++) {
                ChatTemplate.Rendered c = rendered.get(i);
                ForwardResult alone = gpt.forward(c.tokens(), c.targets(), 1, c.tokens().length);
                assertThat(alone.counted()).isEqualTo((int) counted[i]).isEqualTo(c.trainedTokens());
                lossError = Math.max(lossError, rel(alone.loss(), each[i]));
            }
            System.out.printf(Locale.ROOT, "instruct parity: loss %.2e  gradients %.2e (%s)%n", lossError, gradError, worst);
            assertThat(lossError).as("losses").isLessThan(1e-5);
            assertThat(gradError).as("worst gradient: " + worst).isLessThan(1e-4);
        }
    }

    static List<Message> messages(JsonNode array) {
        List<Message> out = new ArrayList<>();
        for (JsonNode m : array) {
            out.add(new Message(Role.fromJsonName(m.get("role").asText()), m.get("content").asText()));
        }
        return out;
    }

    static Path resource(String path) {
        try {
            return Paths.get(InstructionParityTest.class.getClassLoader().getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + path, e);
        }
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static int[] flat(JsonNode rows) {
        List<Integer> all = new ArrayList<>();
        rows.forEach(r -> r.forEach(v -> all.add(v.asInt())));
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double rel(double actual, double expected) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    private static double relativeError(float[] actual, float[] expected) {
        assertThat(actual.length).as("length").isEqualTo(expected.length);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / Math.max(scale, 1e-30);
    }
}
