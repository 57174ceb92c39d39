package org.gpt4j.cli;

import io.javalin.util.JavalinException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.gpt4j.generate.batch.EngineOptions;
import org.gpt4j.io.ModelNames;
import org.gpt4j.server.openai.OpenAiServer;
import org.gpt4j.server.openai.ServedModel;
import org.gpt4j.server.openai.ServerMetrics;
import org.gpt4j.server.openai.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j serve}: the OpenAI-compatible HTTP API over one or more models. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Serve models over OpenAI's HTTP API (completions, chat, streaming, metrics).",
        description = {"Answers OpenAI's API at http://HOST:PORT/v1, so OpenAI's own Python and Node clients,",
            "curl and the tools built on them talk to a gpt4j model: GET /v1/models, POST /v1/completions,",
            "POST /v1/chat/completions (the model's chat template when it was instruction-tuned by gpt4j,",
            "a 'User: / Assistant:' transcript otherwise), streaming as Server-Sent Events, and vLLM's",
            "POST /tokenize, POST /detokenize, GET /health and GET /metrics (Prometheus).",
            "Concurrent requests share each decoding step (continuous batching, up to --max-batch",
            "sequences); more wait in a queue of --queue, and beyond that get 429. A model's id is its",
            "directory's name. Ctrl-C stops taking requests, lets those running finish, and exits."})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    WeightsOption weights;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "A model directory with a tokenizer, or a model name (en-base: models/en-base); repeat to serve several.")
    List<Path> models;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8000", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require 'Authorization: Bearer KEY' on every request but /health and /metrics.")
    String apiKey;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "16",
            description = "Sequences decoded together in one step, per model (a request with n choices takes n; default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "256",
            description = "Requests that may wait for a place in the batch, per model; more get 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "The most new tokens a request may ask for per choice (default: the model's context window).")
    Integer maxTokens;

    @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "" + ServerOptions.DEFAULT_MAX_BODY_BYTES,
            description = "The largest request body read; larger ones get 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Override
    public Integer call() throws Exception {
        if (maxBatch < 1 || maxBatch > 1024) {
            throw new IllegalArgumentException("--max-batch must be in 1..1024, got " + maxBatch);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("--queue must be >= 0, got " + queue);
        }
        ServerOptions options;
        try {
            options = new ServerOptions(host, port, apiKey, maxBodyBytes, maxTokens == null ? 0 : maxTokens);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--port, --api-key, --max-tokens or --max-body-bytes: " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        ServerMetrics metrics = new ServerMetrics();
        EngineOptions engine = new EngineOptions(maxBatch, queue);
        List<ServedModel> served = new ArrayList<>();
        for (Path given : models) {
            Path dir = ModelNames.fromEnvironment().resolve(given);
            String id = ServedModel.idOf(dir);
            served.add(ServedModel.load(dir, weights.format, engine, metrics.observe(id)));
            err.println("gpt4j serve: model " + id + " from " + dir + " (" + weights.format.name().toLowerCase(java.util.Locale.ROOT)
                    + " weights)");
        }
        OpenAiServer server;
        try {
            server = OpenAiServer.start(served, options, metrics);
        } catch (JavalinException e) {
            served.forEach(ServedModel::close);
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " ("
                    + UserErrorHandler.messageOf(root) + "): choose another --port or --host", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("gpt4j serve: " + server.baseUrl());
        out.flush();
        err.println("Ctrl-C stops it.");
        err.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
