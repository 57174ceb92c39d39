package org.gpt4j.tokenizer;

/**
 * A BERT model input: token ids with {@code [CLS]} and {@code [SEP]}, and each token's type
 * (segment): 0 for the first text and its markers, 1 for the second text and its {@code [SEP]}.
 */
public record BertEncoding(int[] ids, int[] tokenTypeIds) {

    public BertEncoding {
        if (ids.length != tokenTypeIds.length) {
            throw new IllegalArgumentException("ids and token types differ in length: " + ids.length + " and " + tokenTypeIds.length);
        }
    }
}
