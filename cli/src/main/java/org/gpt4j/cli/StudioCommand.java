package org.gpt4j.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.gpt4j.io.ModelNames;
import org.gpt4j.server.studio.Studio;
import org.gpt4j.server.studio.StudioServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j studio}: the local web app that shows inside a model. */
@Command(name = "studio", mixinStandardHelpOptions = true,
        header = "See inside a model in the browser: the studio.",
        description = {"A local web page showing what a GPT computes, live, by the one forward pass",
            "with tracing on: architecture, tokens, attention, positions, embeddings and",
            "hidden states, generation step by step, training curves.",
            "Without --model it opens the newest model under ./runs; with none there,",
            "the page explains how to make one in a minute."})
final class StudioCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", paramLabel = "DIR", description = "The model directory to show, or a model name under models/ (default: the newest in runs/).")
    Path model;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        }
        Studio studio = model != null ? Studio.open(model) : Studio.openMostRecent(Path.of("").toAbsolutePath());
        StudioServer server;
        try {
            server = StudioServer.start(studio, host, port);
        } catch (BindException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): choose another --port");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("gpt4j studio: " + server.url());
        out.println(studio.modelDirectory() != null ? "showing the model in " + studio.modelDirectory()
                : "no model under ./runs yet: the page explains how to make one in a minute");
        out.println("Ctrl-C stops it.");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
