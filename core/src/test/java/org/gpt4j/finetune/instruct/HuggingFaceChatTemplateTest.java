package org.gpt4j.finetune.instruct;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.gpt4j.tokenizer.AddedTokens;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;

/**
 * The chat template gpt4j stores is the one it uses: transformers' {@code apply_chat_template}
 * over the tokenizer files of a directory written by {@code finetune --task instruction}
 * (tools/reference/hf_chat_template.py) gives the same ids as gpt4j's {@link ChatTemplate}, for
 * conversations with a system message, several turns, surrounding whitespace (Python's strip),
 * non-ASCII text, with and without the generation prompt.
 */
class HuggingFaceChatTemplateTest {

    @Test
    void rendersConversationsExactlyAsTransformersDoes() throws IOException {
        Path dir = InstructionParityTest.resource("fixtures/instruct/hf-chat-template");
        Tokenizer tokenizer = Tokenizers.load(dir);
        assertThat(tokenizer).isInstanceOf(AddedTokens.class);
        ChatFormat format = InstructionModelDirectory.chatFormat(dir, tokenizer, OptionalInt.empty()).format();
        assertThat(format).as("the stored template is recognised").isInstanceOf(ChatTemplate.class);
        ChatTemplate template = (ChatTemplate) format;
        JsonNode cases = new ObjectMapper().readTree(dir.resolve("hf_chat.json").toFile());
        assertThat(cases.size()).isGreaterThanOrEqualTo(6);
        for (JsonNode c : cases) {
            List<Message> messages = InstructionParityTest.messages(c.get("messages"));
            int[] ids = c.get("add_generation_prompt").asBoolean() ? template.prompt(messages)
                    : template.render(messages).tokens();
            assertThat(ids).as(c.get("text").asText()).containsExactly(InstructionParityTest.ints(c.get("ids")));
            assertThat(tokenizer.decode(ids)).isEqualTo(c.get("text").asText());
        }
    }
}
