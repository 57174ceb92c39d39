package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading whatever tokenizer a model directory holds, and saving into one. */
class TokenizerFilesTest {

    static final BpeTokenizer GPT2 = Tokenizers.gpt2();
    static final String GPT2_FILES = "/org/gpt4j/tokenizer/gpt2/";

    @Test
    void builtInGpt2HasGpt2sVocabulary() {
        assertThat(GPT2.vocabSize()).isEqualTo(50257);
        assertThat(GPT2.mergeCount()).isEqualTo(50000);
        assertThat(GPT2.endOfTextId()).hasValue(50256);
        assertThat(GPT2.tokenText(50256)).isEqualTo("<|endoftext|>");
        assertThat(GPT2.tokenText(262)).isEqualTo(" the");
    }

    @Test
    void endOfTextIsOrdinaryTextUnlessSpecialTokensAreAsked() {
        assertThat(GPT2.encode("a<|endoftext|>b")).containsExactly(64, 27, 91, 437, 1659, 5239, 91, 29, 65);
        assertThat(GPT2.encodeWithSpecialTokens("a<|endoftext|>b<|endoftext|>")).containsExactly(64, 50256, 65, 50256);
    }

    @Test
    void gpt2FilesInADirectoryLoadLikeTheBuiltIn(@TempDir Path dir) throws Exception {
        Tokenizers.save(GPT2, dir);
        assertThat(Files.readString(dir.resolve("merges.txt")))
                .as("merges.txt round-trips byte for byte").isEqualTo(TestTexts.readResource(GPT2_FILES + "merges.txt"));
        assertThat(Tokenizers.isPresent(dir)).isTrue();
        Tokenizer loaded = Tokenizers.load(dir);
        String text = TestTexts.read("mixed.txt");
        assertThat(loaded.encode(text)).containsExactly(GPT2.encode(text));
    }

    @Test
    void huggingFaceTokenizerJsonLoads(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("tokenizer.json"), gpt2TokenizerJson(true).toString().getBytes(StandardCharsets.UTF_8));
        Tokenizer fromJson = Tokenizers.load(dir);
        assertThat(fromJson.vocabSize()).isEqualTo(50257);
        assertThat(fromJson.endOfTextId()).hasValue(50256);
        String text = TestTexts.read("mixed.txt") + TestTexts.read("tang-poems.txt");
        assertThat(fromJson.encode(text)).containsExactly(GPT2.encode(text));
        // Newer tokenizers write merges as [left, right] pairs.
        Files.write(dir.resolve("tokenizer.json"), gpt2TokenizerJson(false).toString().getBytes(StandardCharsets.UTF_8));
        assertThat(Tokenizers.load(dir).encode(text)).containsExactly(GPT2.encode(text));
    }

    /** GPT-2's tokenizer.json as Hugging Face tokenizers writes it. */
    static ObjectNode gpt2TokenizerJson(boolean mergesAsStrings) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", 50256).put("content", "<|endoftext|>").put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token").put("continuing_subword_prefix", "")
                .put("end_of_word_suffix", "").put("fuse_unk", false).put("byte_fallback", false);
        model.set("vocab", m.readTree(TestTexts.readResource(GPT2_FILES + "vocab.json")));
        ArrayNode merges = model.putArray("merges");
        TestTexts.readResource(GPT2_FILES + "merges.txt").lines().skip(1).filter(l -> !l.isEmpty()).forEach(l -> {
            if (mergesAsStrings) {
                merges.add(l);
            } else {
                merges.addArray().add(l.split(" ")[0]).add(l.split(" ")[1]);
            }
        });
        return root;
    }

    @Test
    void toyVocabularyWithUnknownTokenLoads() throws Exception {
        Tokenizer tiny = Tokenizers.load(TestTexts.path("tiny-gpt2"));
        assertThat(tiny.vocabSize()).isEqualTo(21);
        // "Ġnewer" is in its vocab.json but no merge builds it, so BPE spells " newer" from parts.
        assertThat(tiny.encode(" lower newer")).containsExactly(14, 15, 10, 9, 3, 2, 15);
        // 'x' has no byte token in this toy vocabulary: it becomes <unk> (19), as in Hugging Face.
        assertThat(tiny.encode("x")).containsExactly(19);
        assertThat(tiny.endOfTextId()).hasValue(20);
    }

    @Test
    void charVocabularySavesAndLoads(@TempDir Path dir) throws Exception {
        CharTokenizer chars = CharTokenizer.fromText(TestTexts.read("shakespeare-head.txt"));
        Tokenizers.save(chars, dir);
        Tokenizer back = Tokenizers.load(dir);
        assertThat(back).isInstanceOf(CharTokenizer.class);
        assertThat(back.vocabSize()).isEqualTo(chars.vocabSize());
        String text = "First Citizen:\nYou are all resolved rather to die?";
        assertThat(back.encode(text)).containsExactly(chars.encode(text));
    }

    @Test
    void resolveFindsTheBuiltInByName() throws Exception {
        assertThat(Tokenizers.resolve("gpt2")).isSameAs(GPT2);
    }

    @Test
    void aDirectoryWithoutTokenizerIsAClearError(@TempDir Path dir) {
        assertThat(Tokenizers.isPresent(dir)).isFalse();
        assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds no tokenizer").hasMessageContaining("vocab.json");
        assertThatThrownBy(() -> Tokenizers.load(dir.resolve("missing"))).hasMessageContaining("no such directory");
    }

    @Test
    void saveRefusesToLeaveAFileThatWouldShadowIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        assertThatThrownBy(() -> Tokenizers.save(GPT2, dir)).hasMessageContaining("already holds tokenizer.json");
    }
}
