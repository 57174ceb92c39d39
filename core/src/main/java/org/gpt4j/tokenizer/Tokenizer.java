package org.gpt4j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Turns text into the token ids a GPT reads, and back.
 *
 * <p><b>Special tokens.</b> {@link #encode} treats every character as ordinary text: the string
 * {@code <|endoftext|>} in user input becomes the seven tokens {@code < | end of text | >}, as
 * tiktoken's {@code encode_ordinary} and JTokkit's {@code encodeOrdinary} do. This keeps text a
 * user pastes from ever forging a document boundary. Code that wants the markers turned into their
 * single ids (as Hugging Face tokenizers do by default) calls {@link #encodeWithSpecialTokens}.
 *
 * <p><b>Decoding</b> concatenates the tokens' bytes and reads them as UTF-8; bytes that do not form
 * valid UTF-8 (a sequence cut off mid-character) become U+FFFD, as in tiktoken and Hugging Face.
 * BERT's {@link WordPieceTokenizer} instead joins its tokens' texts with spaces, gluing each
 * {@code ##} piece to the one before (Hugging Face's {@code convert_tokens_to_string}).
 * An id outside {@code [0, vocabSize())} is an {@link IllegalArgumentException}.
 *
 * <p>Implementations are immutable and safe to share between threads.
 */
public interface Tokenizer {

    /** GPT-2's document separator. */
    String END_OF_TEXT = "<|endoftext|>";

    /** Encodes text, special-token strings included, as ordinary text. */
    int[] encode(String text);

    /** Number of ids; every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** The raw bytes of a token (the UTF-8 of its text for whole characters; a fragment for byte tokens). */
    byte[] tokenBytes(int id);

    /**
     * The text of one token as a person would read it: its characters when its bytes are whole
     * UTF-8, otherwise the valid parts with each stray byte written {@code \xE4}.
     */
    String tokenText(int id);

    /** Special tokens by their text (e.g. {@code <|endoftext|>} to 50256); empty if none. */
    Map<String, Integer> specialTokens();

    /** The id of {@code <|endoftext|>}, when this vocabulary has one. */
    default OptionalInt endOfTextId() {
        Integer id = specialTokens().get(END_OF_TEXT);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Decodes ids to text; see the class comment for invalid UTF-8 and bad ids. */
    default String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The concatenated bytes of the tokens. */
    default byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            out.writeBytes(tokenBytes(id));
        }
        return out.toByteArray();
    }

    /**
     * Encodes text in which each occurrence of a special token's string becomes that token's id;
     * the text between them is encoded as by {@link #encode}.
     */
    default int[] encodeWithSpecialTokens(String text) {
        return SpecialTokenSplitter.encode(this, text);
    }

    /** A decoder for streaming generation, one id at a time; see {@link IncrementalDecoder}. */
    default IncrementalDecoder newIncrementalDecoder() {
        return new IncrementalDecoder(this);
    }

    /** Throws the standard error for an id outside the vocabulary. */
    static void checkId(int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size "
                    + vocabSize + ", ids 0.." + (vocabSize - 1) + ")");
        }
    }
}
