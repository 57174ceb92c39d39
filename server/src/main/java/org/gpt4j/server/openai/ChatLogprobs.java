package org.gpt4j.server.openai;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.generate.batch.TokenLogprob;

/**
 * The {@code logprobs} object of {@code /v1/chat/completions}: {@code content} lists each token of
 * the reply with its log-probability, its UTF-8 bytes (so a client can join tokens that split a
 * character) and its {@code top_logprobs} alternatives.
 */
record ChatLogprobs(List<Entry> content, Object refusal) {

    /** One token of the reply. */
    record Entry(String token, float logprob, List<Integer> bytes, List<Top> topLogprobs) {
    }

    /** An alternative at a token's position. */
    record Top(String token, float logprob, List<Integer> bytes) {
    }

    static ChatLogprobs of(List<TokenLogprob> tokens) {
        List<Entry> entries = new ArrayList<>(tokens.size());
        for (TokenLogprob t : tokens) {
            List<Top> top = new ArrayList<>(t.top().size());
            for (TokenLogprob.Alternative a : t.top()) {
                top.add(new Top(a.token(), LegacyLogprobs.finite(a.logprob()), unsigned(a.bytes())));
            }
            entries.add(new Entry(t.token(), LegacyLogprobs.finite(t.logprob()), unsigned(t.bytes()), List.copyOf(top)));
        }
        return new ChatLogprobs(List.copyOf(entries), null);
    }

    /** Bytes as OpenAI lists them: integers 0..255. */
    static List<Integer> unsigned(byte[] bytes) {
        List<Integer> out = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            out.add(b & 0xFF);
        }
        return List.copyOf(out);
    }
}
