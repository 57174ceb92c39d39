package org.gpt4j.finetune.instruct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.GptConfigJson;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.AddedTokens;
import org.gpt4j.tokenizer.BpeTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;

/**
 * An instruction-tuned model on disk: a plain model directory (every command loads it; transformers
 * loads it as GPT2LMHeadModel) whose tokenizer knows the chat template's tokens and whose
 * {@code tokenizer_config.json} stores the template:
 *
 * <ul>
 *   <li>{@code config.json}, {@code model.safetensors}: the GPT, {@code wte} holding the added rows;
 *       {@code eos_token_id} is {@code <|end|>}, so transformers' generate stops at the end of a turn;
 *   <li>the base tokenizer's files and {@code added_tokens.json} (the four tokens and their ids);
 *   <li>{@code special_tokens_map.json}: {@code eos_token} {@code <|end|>} and the four tokens as
 *       {@code additional_special_tokens}, so Hugging Face's tokenizer never splits them;
 *   <li>{@code tokenizer_config.json}: {@code chat_template} ({@link ChatTemplate#JINJA}, Hugging
 *       Face's place for it) and {@code model_max_length}.
 * </ul>
 *
 * <p>{@link #chatFormat} is how {@code chat} and {@code evaluate-instructions} pick the format: a
 * directory whose {@code chat_template} is gpt4j's gets {@link ChatTemplate}, any other a
 * {@link PlainTranscript}.
 */
public final class InstructionModelDirectory {

    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    public static final String CHAT_TEMPLATE_FIELD = "chat_template";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_CONFIG_BYTES = 16L << 20;

    private InstructionModelDirectory() {
    }

    /** Writes the model, its tokenizer and its template into {@code dir}, each file replaced whole. */
    public static void save(InstructionModel model, Path dir) throws IOException {
        Gpt gpt = model.gpt();
        Tokenizer tokenizer = model.tokenizer();
        ChatTemplate template = model.template();
        Files.createDirectories(dir);
        Tokenizers.save(tokenizer, dir);
        ModelDirectory.save(gpt, dir);
        OptionalInt bos = tokenizer.endOfTextId();
        ObjectNode config = GptConfigJson.toJson(gpt.config());
        if (bos.isPresent()) {
            config.put("bos_token_id", bos.getAsInt());
        } else {
            config.putNull("bos_token_id");
        }
        config.put("eos_token_id", template.end());
        write(dir.resolve(ModelDirectory.CONFIG), config);

        ObjectNode map = MAPPER.createObjectNode();
        if (bos.isPresent()) {
            map.put("bos_token", Tokenizer.END_OF_TEXT);
        }
        map.put("eos_token", ChatTemplate.END);
        var additional = map.putArray("additional_special_tokens");
        ChatTemplate.TOKENS.forEach(additional::add);
        write(dir.resolve(SPECIAL_TOKENS_MAP), map);

        ObjectNode tc = MAPPER.createObjectNode();
        if (tokenizer instanceof AddedTokens a && a.base() instanceof BpeTokenizer) {
            tc.put("tokenizer_class", "GPT2Tokenizer");
            tc.put("add_prefix_space", false);
        }
        if (bos.isPresent()) {
            tc.put("bos_token", Tokenizer.END_OF_TEXT);
        }
        tc.put("eos_token", ChatTemplate.END);
        tc.put("model_max_length", gpt.config().nPositions());
        tc.put(CHAT_TEMPLATE_FIELD, ChatTemplate.JINJA);
        write(dir.resolve(TOKENIZER_CONFIG), tc);
    }

    private static void write(Path file, ObjectNode json) throws IOException {
        AtomicFiles.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    /** A chat format and, when the directory's template could not be used, why (else null). */
    public record Selected(ChatFormat format, String note) {
    }

    /**
     * The chat format of a model directory: its stored template when it is gpt4j's and the
     * tokenizer knows the template's tokens, otherwise a plain transcript ending replies at
     * {@code endOfText}.
     *
     * @throws org.gpt4j.io.ModelFormatException when tokenizer_config.json is not valid JSON
     */
    public static Selected chatFormat(Path dir, Tokenizer tokenizer, OptionalInt endOfText) throws IOException {
        PlainTranscript plain = new PlainTranscript(tokenizer, endOfText);
        Path file = dir.resolve(TOKENIZER_CONFIG);
        if (!Files.isRegularFile(file)) {
            return new Selected(plain, null);
        }
        JsonNode stored = JsonFiles.readObject(file, MAX_CONFIG_BYTES, "a tokenizer config").get(CHAT_TEMPLATE_FIELD);
        if (stored == null || stored.isNull()) {
            return new Selected(plain, null);
        }
        if (!stored.isTextual() || !stored.asText().equals(ChatTemplate.JINJA)) {
            return new Selected(plain, file + " holds a chat template that is not gpt4j's; using a plain "
                    + "'User: / Assistant:' transcript");
        }
        if (!ChatTemplate.isIn(tokenizer)) {
            return new Selected(plain, "the tokenizer of " + dir + " lacks the chat template's tokens "
                    + ChatTemplate.TOKENS + "; using a plain 'User: / Assistant:' transcript");
        }
        return new Selected(ChatTemplate.of(tokenizer), null);
    }
}
