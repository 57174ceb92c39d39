package org.gpt4j.server.openai;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gpt4j.generate.batch.CompletionRequest;

/**
 * {@code POST /v1/completions}: OpenAI's (legacy) completions. Every prompt of the request becomes
 * one engine request with {@code n} choices; the answer is collected whole, or streamed.
 */
final class CompletionsEndpoint {

    /** OpenAI's default for completions. */
    static final int DEFAULT_MAX_TOKENS = 16;

    private final ServedModels models;
    private final ServerOptions options;
    private final ServerMetrics metrics;

    CompletionsEndpoint(ServedModels models, ServerOptions options, ServerMetrics metrics) {
        this.models = models;
        this.options = options;
        this.metrics = metrics;
    }

    void handle(Context ctx, RequestBody body, long startNanos) throws IOException {
        ServedModel model = models.of(body);
        SamplingFields sampling = SamplingFields.read(body);
        CompletionPrompts prompts = CompletionPrompts.read(body, model);
        boolean echo = body.bool("echo").orElse(false);
        int logprobs = body.integer("logprobs").orElse(-1);
        if (body.has("logprobs") && (logprobs < 0 || logprobs > CompletionRequest.MAX_LOGPROBS)) {
            throw ApiException.badRequest("logprobs", "logprobs must be in [0, " + CompletionRequest.MAX_LOGPROBS
                    + "], got " + logprobs);
        }
        int maxTokens = body.integer("max_tokens").orElse(DEFAULT_MAX_TOKENS);
        Limits.checkMaxTokens("max_tokens", maxTokens, 0, options);
        List<CompletionRequest> requests = new ArrayList<>();
        for (int[] prompt : prompts.ids()) {
            Limits.checkPrompt("prompt", prompt.length, maxTokens, model);
            requests.add(sampling.request(prompt, maxTokens, logprobs, echo && logprobs >= 0, model, List.of(),
                    model.endOfTextIds()));
        }
        Generation generation = Generation.start(model.engine(), requests);
        try {
            answer(ctx, generation, model, sampling, prompts, echo, logprobs, startNanos);
        } catch (RuntimeException | IOException e) {
            // Whatever stopped the answer (the client gone, a failed write), the batch slots go free.
            generation.cancel();
            throw e;
        }
    }

    private void answer(Context ctx, Generation generation, ServedModel model, SamplingFields sampling, CompletionPrompts prompts,
            boolean echo, int logprobs, long startNanos) throws IOException {
        ClientConnection client = ClientConnection.of(ctx);
        ResponseMeta meta = ResponseMeta.of("cmpl-", model.id());
        if (sampling.stream()) {
            SseStream sse = new SseStream(ctx);
            CompletionsStream stream = new CompletionsStream(sse, meta, prompts, sampling.n(), echo,
                    logprobs >= 0);
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
        CompletionsCollector collector = new CompletionsCollector(prompts, sampling.n(), echo, logprobs >= 0);
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
