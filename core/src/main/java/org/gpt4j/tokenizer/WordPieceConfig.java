package org.gpt4j.tokenizer;

/**
 * How a {@link WordPieceTokenizer} reads text: the fields of Hugging Face's {@code BertTokenizer}
 * (and of its {@code tokenizer_config.json}) under their names there.
 *
 * @param doLowerCase          lower-case the text (bert-base-uncased, bert-base-chinese: true)
 * @param stripAccents         strip accents (NFD, drop Mn); null: exactly when lower-casing, as in BERT
 * @param tokenizeChineseChars put spaces around CJK ideographs
 * @param unkToken             the token of a word the vocabulary cannot spell; it must be in the vocabulary
 * @param clsToken             the classification token opening a model input
 * @param sepToken             the separator closing each segment
 * @param padToken             the padding token
 * @param maskToken            the masked-language-model token
 * @param maxInputCharsPerWord a longer word (in code points) becomes the unknown token whole (BERT: 100)
 */
public record WordPieceConfig(boolean doLowerCase, Boolean stripAccents, boolean tokenizeChineseChars,
        String unkToken, String clsToken, String sepToken, String padToken, String maskToken,
        int maxInputCharsPerWord) {

    /** WordPiece's marker of a piece that continues a word. */
    public static final String CONTINUATION = "##";

    public WordPieceConfig {
        requireToken(unkToken, "unk_token");
        requireToken(clsToken, "cls_token");
        requireToken(sepToken, "sep_token");
        requireToken(padToken, "pad_token");
        requireToken(maskToken, "mask_token");
        if (maxInputCharsPerWord < 1) {
            throw new IllegalArgumentException("max_input_chars_per_word must be at least 1, got " + maxInputCharsPerWord);
        }
    }

    /** BERT's defaults: {@code [UNK] [CLS] [SEP] [PAD] [MASK]}, CJK spacing, words up to 100 characters. */
    public static WordPieceConfig bert(boolean doLowerCase) {
        return new WordPieceConfig(doLowerCase, null, true, "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", 100);
    }

    /** Whether accents are stripped: {@link #stripAccents} when given, else {@link #doLowerCase}. */
    public boolean stripsAccents() {
        return stripAccents != null ? stripAccents : doLowerCase;
    }

    /** The special tokens, in BERT's vocabulary order. */
    public String[] specialTokens() {
        return new String[] {padToken, unkToken, clsToken, sepToken, maskToken};
    }

    private static void requireToken(String token, String field) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException(field + " must be a non-empty token");
        }
    }
}
