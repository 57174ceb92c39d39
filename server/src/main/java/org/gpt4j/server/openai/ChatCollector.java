package org.gpt4j.server.openai;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.generate.batch.TokenLogprob;
import org.gpt4j.server.openai.Generation.Delta;
import org.gpt4j.server.openai.Generation.Event;
import org.gpt4j.server.openai.Generation.Failed;
import org.gpt4j.server.openai.Generation.Finished;
import org.gpt4j.server.openai.Generation.PromptDone;
import org.gpt4j.server.openai.Generation.PromptRead;

/**
 * Gathers a {@code /v1/chat/completions} answer that is not streamed: each choice's reply (trimmed
 * as the chat format trims it), its token log-probabilities when asked, its finish reason, the usage.
 */
final class ChatCollector implements EventPump.Sink {

    private final StringBuilder[] texts;
    private final ReplyTrimmer[] trimmers;
    private final List<List<TokenLogprob>> tokens;
    private final String[] finish;
    private UsageBody usage = UsageBody.ZERO;
    private RuntimeException failure;

    ChatCollector(int choices, boolean logprobs) {
        texts = new StringBuilder[choices];
        trimmers = new ReplyTrimmer[choices];
        finish = new String[choices];
        tokens = logprobs ? new ArrayList<>() : null;
        for (int c = 0; c < choices; c++) {
            texts[c] = new StringBuilder();
            trimmers[c] = new ReplyTrimmer();
            if (logprobs) {
                tokens.add(new ArrayList<>());
            }
        }
    }

    @Override
    public void accept(Event event) {
        switch (event) {
            case Delta d -> {
                texts[d.choice()].append(trimmers[d.choice()].accept(d.text()));
                if (tokens != null) {
                    tokens.get(d.choice()).addAll(d.tokens());
                }
            }
            case Finished f -> finish[f.choice()] = f.reason();
            case PromptDone done -> usage = usage.plus(done.usage());
            case Failed f -> failure = failure == null ? f.error() : failure;
            case PromptRead p -> {
                // Chat requests never ask for the prompt's log-probabilities.
            }
        }
    }

    RuntimeException failure() {
        return failure;
    }

    UsageBody usage() {
        return usage;
    }

    ChatResponse response(ResponseMeta meta) {
        List<ChatResponse.Choice> choices = new ArrayList<>(texts.length);
        for (int c = 0; c < texts.length; c++) {
            choices.add(new ChatResponse.Choice(c, new ChatResponse.Message("assistant", texts[c].toString()),
                    tokens == null ? null : ChatLogprobs.of(tokens.get(c)), finish[c]));
        }
        return new ChatResponse(meta.id(), ChatResponse.OBJECT, meta.created(), meta.model(), choices, usage);
    }
}
