package org.gpt4j.server.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.gpt4j.finetune.instruct.ChatTemplate;
import org.gpt4j.finetune.instruct.PlainTranscript;
import org.gpt4j.generate.batch.BatchEngine;
import org.gpt4j.generate.batch.EngineOptions;
import org.gpt4j.generate.batch.StepObserver;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;

/**
 * A real {@link OpenAiServer} on a free loopback port for the tests, serving small random GPTs
 * with GPT-2's tokenizer: {@code tiny} (a plain transcript for chat) and, when asked, {@code tiny-chat}
 * (gpt4j's chat template, its four tokens added). Steps can be slowed ({@link #pace}) so that a
 * test can act while a request is surely still running.
 */
final class TestServer implements AutoCloseable {

    static final String MODEL = "tiny";
    static final String CHAT_MODEL = "tiny-chat";
    static final Tokenizer GPT2 = Tokenizers.gpt2();

    final OpenAiServer server;
    final ServerMetrics metrics = new ServerMetrics();
    final String base;
    final String v1;
    private final List<ServedModel> models = new ArrayList<>();
    private volatile long paceMillis;

    private TestServer(ServerOptions options, EngineOptions engine, int context, boolean chatModel) {
        models.add(new ServedModel(MODEL, model(context), GPT2, new PlainTranscript(GPT2, GPT2.endOfTextId()), engine,
                paced(metrics.observe(MODEL))));
        if (chatModel) {
            Tokenizer t = ChatTemplate.addTo(GPT2);
            Gpt gpt = GptInit.withAddedTokens(model(context), ChatTemplate.TOKENS.size(), new SplittableRandom(3));
            models.add(new ServedModel(CHAT_MODEL, gpt, t, ChatTemplate.of(t), engine, paced(metrics.observe(CHAT_MODEL))));
        }
        server = OpenAiServer.start(models, options, metrics);
        v1 = server.baseUrl();
        base = v1.substring(0, v1.length() - "/v1".length());
    }

    /** The tiny model alone, context 64, batch 8, queue 64, no key. */
    static TestServer start() {
        return new TestServer(ServerOptions.loopback(0), new EngineOptions(8, 64), 64, false);
    }

    static TestServer start(ServerOptions options, EngineOptions engine, int context, boolean chatModel) {
        return new TestServer(options, engine, context, chatModel);
    }

    /**
     * The served GPT: 2 layers, 2 heads, 32 wide, GPT-2's vocabulary; the token embeddings scaled
     * up so that its next-token distributions are peaked (varied greedy text, stops that happen).
     * The same weights every call, so a test can run its own copy beside the server's.
     */
    static Gpt model(int context) {
        Gpt gpt = GptInit.randomGpt(GptConfig.gpt2(2, 2, 32, context, GPT2.vocabSize()), 7);
        float[] wte = gpt.parameters().data("wte.weight");
        for (int i = 0; i < wte.length; i++) {
            wte[i] *= 10;
        }
        return gpt;
    }

    private StepObserver paced(StepObserver inner) {
        return new StepObserver() {
            @Override
            public void onStep(int batch, long nanos) {
                inner.onStep(batch, nanos);
                long p = paceMillis;
                if (p > 0) {
                    try {
                        Thread.sleep(p);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void onPrefill(int tokens, long nanos) {
                inner.onPrefill(tokens, nanos);
            }
        };
    }

    /** Slows every decoding step by this much (0: full speed). */
    void pace(long millis) {
        paceMillis = millis;
    }

    BatchEngine engine() {
        return models.getFirst().engine();
    }

    /** Waits until the tiny model's engine runs {@code sequences} sequences; false after the timeout. */
    boolean awaitRunning(int sequences, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (engine().running() == sequences) {
                return true;
            }
            Thread.sleep(5);
        }
        return engine().running() == sequences;
    }

    @Override
    public void close() {
        paceMillis = 0;
        server.close(5_000);
    }

    static OptionalInt endOfText() {
        return GPT2.endOfTextId();
    }
}
