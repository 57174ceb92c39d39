package org.gpt4j.server.openai;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.gpt4j.finetune.instruct.ChatFormat;
import org.gpt4j.finetune.instruct.Message;
import org.gpt4j.generate.batch.CompletionRequest;

/**
 * {@code POST /v1/chat/completions}: the conversation goes through the model's chat format (its
 * chat template when instruction-tuned, else a "User: / Assistant:" transcript) into one engine
 * request with {@code n} choices; a reply ends at the format's end of turn or stop strings, or at
 * the end of text.
 */
final class ChatCompletionsEndpoint {

    private final ServedModels models;
    private final ServerOptions options;
    private final ServerMetrics metrics;

    ChatCompletionsEndpoint(ServedModels models, ServerOptions options, ServerMetrics metrics) {
        this.models = models;
        this.options = options;
        this.metrics = metrics;
    }

    void handle(Context ctx, RequestBody body, long startNanos) throws IOException {
        ServedModel model = models.of(body);
        SamplingFields sampling = SamplingFields.read(body);
        List<Message> messages = ChatMessages.read(body);
        boolean logprobs = body.bool("logprobs").orElse(false);
        OptionalInt top = body.integer("top_logprobs");
        if (top.isPresent() && !logprobs) {
            throw ApiException.badRequest("top_logprobs", "top_logprobs needs logprobs: true");
        }
        if (top.isPresent() && (top.getAsInt() < 0 || top.getAsInt() > CompletionRequest.MAX_LOGPROBS)) {
            throw ApiException.badRequest("top_logprobs", "top_logprobs must be in [0, " + CompletionRequest.MAX_LOGPROBS
                    + "], got " + top.getAsInt());
        }
        ChatFormat format = model.chatFormat();
        int[] prompt;
        try {
            prompt = format.prompt(messages);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("messages", "the messages cannot be encoded by this model's tokenizer: "
                    + e.getMessage());
        }
        Limits.checkPrompt("messages", prompt.length, 1, model);
        String field = body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        OptionalInt asked = body.integer(field);
        int maxTokens;
        if (asked.isPresent()) {
            maxTokens = asked.getAsInt();
            Limits.checkMaxTokens(field, maxTokens, 1, options);
        } else {
            maxTokens = Limits.defaultChatTokens(prompt.length, model, options);
        }
        Set<Integer> stopIds = new HashSet<>(model.endOfTextIds());
        format.endOfTurn().ifPresent(stopIds::add);
        CompletionRequest request = sampling.request(prompt, maxTokens, logprobs ? top.orElse(0) : -1, false, model,
                format.stopStrings(), stopIds);
        Generation generation = Generation.start(model.engine(), List.of(request));
        try {
            answer(ctx, generation, model, sampling, logprobs, startNanos);
        } catch (RuntimeException | IOException e) {
            // Whatever stopped the answer (the client gone, a failed write), the batch slots go free.
            generation.cancel();
            throw e;
        }
    }

    private void answer(Context ctx, Generation generation, ServedModel model, SamplingFields sampling, boolean logprobs,
            long startNanos) throws IOException {
        ClientConnection client = ClientConnection.of(ctx);
        ResponseMeta meta = ResponseMeta.of("chatcmpl-", model.id());
        if (sampling.stream()) {
            SseStream sse = new SseStream(ctx);
            ChatStream stream = new ChatStream(sse, meta, generation.choices(), logprobs);
            try {
                EventPump.run(generation, client, stream, metrics, model.id(), startNanos);
            } finally {
                metrics.tokens(model.id(), stream.usage().promptTokens(), stream.usage().completionTokens());
            }
            if (stream.failure() != null) {
                Answers.streamFailed(sse, stream.failure(), model.id());
            } else {
                stream.finish(sampling.includeUsage());
            }
            return;
        }
        ChatCollector collector = new ChatCollector(generation.choices(), logprobs);
        try {
            EventPump.run(generation, client, collector, metrics, model.id(), startNanos);
        } finally {
            metrics.tokens(model.id(), collector.usage().promptTokens(), collector.usage().completionTokens());
        }
        if (collector.failure() != null) {
            throw collector.failure();
        }
        Answers.json(ctx, 200, collector.response(meta), client);
    }
}
