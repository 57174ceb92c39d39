package org.gpt4j.server.openai;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Set;
import org.gpt4j.finetune.instruct.ChatFormat;
import org.gpt4j.finetune.instruct.InstructionModelDirectory;
import org.gpt4j.generate.batch.BatchEngine;
import org.gpt4j.generate.batch.EngineOptions;
import org.gpt4j.generate.batch.StepObserver;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tensor.WeightFormat;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;

/**
 * One model the server answers for: its id (the directory's name, what clients put in
 * {@code model}), its tokenizer, its chat format, and the one {@link BatchEngine} that runs every
 * request to it.
 */
public final class ServedModel implements AutoCloseable {

    private final String id;
    private final Tokenizer tokenizer;
    private final ChatFormat chatFormat;
    private final OptionalInt endOfText;
    private final int vocabSize;
    private final BatchEngine engine;
    private final long created;

    /**
     * @param chatFormat how {@code messages} become a prompt (the model's chat template, or a
     *                   plain transcript)
     * @param observer   told of every step and prefill (the server's metrics)
     */
    public ServedModel(String id, Gpt gpt, Tokenizer tokenizer, ChatFormat chatFormat, EngineOptions options,
            StepObserver observer) {
        this.id = id;
        this.tokenizer = tokenizer;
        this.chatFormat = chatFormat;
        // Ids a client may send: those both the model and the tokenizer know.
        this.vocabSize = Math.min(gpt.config().vocabSize(), tokenizer.vocabSize());
        OptionalInt eot = tokenizer.endOfTextId();
        this.endOfText = eot.isPresent() && eot.getAsInt() < gpt.config().vocabSize() ? eot : OptionalInt.empty();
        this.engine = new BatchEngine(gpt, tokenizer, options, observer);
        this.created = System.currentTimeMillis() / 1000;
    }

    /**
     * Loads a model directory: the GPT with its weights in {@code format}, its tokenizer (required:
     * the API speaks text) and its chat format as {@code chat} picks it; the id is the directory's name.
     */
    public static ServedModel load(Path dir, WeightFormat format, EngineOptions options, StepObserver observer)
            throws IOException {
        if (!Tokenizers.isPresent(dir)) {
            throw new IllegalArgumentException(dir + " holds no tokenizer (vocab.json + merges.txt, tokenizer.json "
                    + "or a char vocabulary): the API reads and writes text");
        }
        Gpt gpt = ModelDirectory.load(dir, format);
        Tokenizer tokenizer = Tokenizers.load(dir);
        OptionalInt eot = tokenizer.endOfTextId();
        OptionalInt endOfText = eot.isPresent() && eot.getAsInt() < gpt.config().vocabSize() ? eot : OptionalInt.empty();
        ChatFormat chat = InstructionModelDirectory.chatFormat(dir, tokenizer, endOfText).format();
        return new ServedModel(idOf(dir), gpt, tokenizer, chat, options, observer);
    }

    /** The id a directory is served under: its name. */
    public static String idOf(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    public String id() {
        return id;
    }

    public BatchEngine engine() {
        return engine;
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    ChatFormat chatFormat() {
        return chatFormat;
    }

    int vocabSize() {
        return vocabSize;
    }

    int contextWindow() {
        return engine.contextWindow();
    }

    long created() {
        return created;
    }

    /** The ids that end any completion: the tokenizer's end of text, when the model has one. */
    Set<Integer> endOfTextIds() {
        return endOfText.isPresent() ? Set.of(endOfText.getAsInt()) : Set.of();
    }

    /** Lets the running and queued requests finish, then stops the engine's thread. */
    @Override
    public void close() {
        engine.close();
    }
}
