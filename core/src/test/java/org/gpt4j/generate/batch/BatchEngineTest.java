package org.gpt4j.generate.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.Generator;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.tensor.SoftmaxKernel;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine against {@link Generator} (itself checked against PyTorch): the same tokens for
 * greedy and seeded sampling, alone or in a batch of others, with every OpenAI field it takes.
 */
class BatchEngineTest {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz .,!?\n";
    private static final Tokenizer TOKENIZER = CharTokenizer.fromText(ALPHABET);
    private static final GptConfig CONFIG = GptConfig.gpt2(2, 2, 32, 64, TOKENIZER.vocabSize());
    private final List<BatchEngine> engines = new ArrayList<>();

    /** A random GPT whose distributions are peaked enough to make greedy and sampled text varied. */
    static Gpt model() {
        Gpt gpt = GptInit.randomGpt(CONFIG, 42);
        float[] wte = gpt.parameters().data("wte.weight");
        for (int i = 0; i < wte.length; i++) {
            wte[i] *= 10;
        }
        return gpt;
    }

    private BatchEngine engine(int maxBatch, int queue) {
        BatchEngine engine = new BatchEngine(model(), TOKENIZER, new EngineOptions(maxBatch, queue), StepObserver.NONE);
        engines.add(engine);
        return engine;
    }

    @AfterEach
    void close() {
        engines.forEach(BatchEngine::close);
    }

    private static int[] prompt(String text) {
        return TOKENIZER.encode(text);
    }

    private static Recorder run(BatchEngine engine, CompletionRequest request) throws InterruptedException {
        Recorder r = new Recorder();
        engine.submit(request, r);
        return r.await();
    }

    @Test
    void greedyGivesTheTokensOfTheGenerator() throws Exception {
        int[] p = prompt("hello world");
        Recorder r = run(engine(4, 8), CompletionRequest.builder(p).maxTokens(20).temperature(0).build());
        int[] expected = new Generator(model()).generate(p, GenerationConfig.builder().maxNewTokens(20).build())
                .getFirst().tokens();
        assertThat(r.ids(0)).containsExactly(expected);
        assertThat(r.text(0)).isEqualTo(TOKENIZER.decode(expected));
        assertThat(r.finish.get(0)).isEqualTo("length");
        assertThat(r.usage).isEqualTo(new CompletionListener.Usage(p.length, 20));
    }

    @Test
    void seededSamplingGivesTheTokensOfTheGeneratorWithThatSeed() throws Exception {
        int[] p = prompt("the cat");
        Recorder r = run(engine(4, 8), CompletionRequest.builder(p).maxTokens(30).temperature(0.8).topK(10)
                .topP(0.9).seed(7).build());
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(30).doSample(true).temperature(0.8)
                .topK(10).topP(0.9).seed(7).build();
        assertThat(r.ids(0)).containsExactly(new Generator(model()).generate(p, config).getFirst().tokens());
    }

    @Test
    void aRequestGetsTheSameTokensAloneAsInABatchOfOthers() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        List<CompletionRequest> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String text = rng.ints(1 + rng.nextInt(12), 0, 26).mapToObj(c -> String.valueOf((char) ('a' + c)))
                    .reduce("", String::concat);
            requests.add(CompletionRequest.builder(prompt(text)).maxTokens(5 + rng.nextInt(25)).temperature(1.2)
                    .n(1 + rng.nextInt(2)).seed(i).build());
        }
        BatchEngine shared = engine(16, 32);
        List<Recorder> together = new ArrayList<>();
        for (CompletionRequest request : requests) {
            Recorder r = new Recorder();
            shared.submit(request, r);
            together.add(r);
        }
        BatchEngine single = engine(2, 32);
        for (int i = 0; i < requests.size(); i++) {
            Recorder batched = together.get(i).await();
            Recorder alone = run(single, requests.get(i));
            for (int c = 0; c < requests.get(i).n(); c++) {
                assertThat(batched.ids(c)).as("request %d choice %d", i, c).containsExactly(alone.ids(c));
                assertThat(batched.text(c)).isEqualTo(alone.text(c));
            }
        }
    }

    @Test
    void choicesDrawFromTheirOwnStreamsAndTheFirstIsTheSingleChoice() throws Exception {
        int[] p = prompt("once upon");
        BatchEngine engine = engine(8, 8);
        Recorder three = run(engine, CompletionRequest.builder(p).maxTokens(25).n(3).seed(11).build());
        Recorder one = run(engine, CompletionRequest.builder(p).maxTokens(25).seed(11).build());
        assertThat(three.ids(0)).containsExactly(one.ids(0));
        assertThat(new java.util.HashSet<>(List.of(three.text(0), three.text(1), three.text(2)))).hasSize(3);
        assertThat(three.usage.completionTokens()).isEqualTo(75);
        assertThat(three.usage.promptTokens()).isEqualTo(p.length);
    }

    @Test
    void stopStringsEndTheTextBeforeThemAndStopTokensEndIt() throws Exception {
        int[] p = prompt("abc");
        BatchEngine engine = engine(4, 8);
        Recorder free = run(engine, CompletionRequest.builder(p).maxTokens(40).temperature(0).build());
        String full = free.text(0);
        String stop = full.substring(10, 12);
        Recorder stopped = run(engine, CompletionRequest.builder(p).maxTokens(40).temperature(0)
                .stop(List.of(stop, "not there")).build());
        assertThat(stopped.text(0)).isEqualTo(full.substring(0, full.indexOf(stop)));
        assertThat(stopped.finish.get(0)).isEqualTo("stop");

        int stopToken = free.ids(0)[5];
        Recorder byToken = run(engine, CompletionRequest.builder(p).maxTokens(40).temperature(0)
                .stopTokenIds(Set.of(stopToken)).build());
        int first = 0;
        while (free.ids(0)[first] != stopToken) {
            first++;
        }
        assertThat(byToken.text(0)).isEqualTo(full.substring(0, first));
        assertThat(byToken.finish.get(0)).isEqualTo("stop");
        assertThat(byToken.usage.completionTokens()).isEqualTo(first + 1);
    }

    @Test
    void theContextWindowEndsAChoiceWithLength() throws Exception {
        int[] p = new int[CONFIG.nPositions() - 3];
        Recorder r = run(engine(2, 2), CompletionRequest.builder(p).maxTokens(100).temperature(0).build());
        assertThat(r.ids(0)).hasSize(4);
        assertThat(r.finish.get(0)).isEqualTo("length");
    }

    @Test
    void logprobsAreTheModelsLogSoftmaxWithTheBestAlternatives() throws Exception {
        int[] p = prompt("zebra");
        Recorder r = run(engine(2, 2), CompletionRequest.builder(p).maxTokens(3).temperature(0).logprobs(5)
                .promptLogprobs(true).build());
        Gpt gpt = model();
        float[] logits = gpt.forward(p, 1, p.length).logits();
        int v = CONFIG.vocabSize();
        TokenLogprob first = r.tokens.get(0).getFirst();
        int row = (p.length - 1) * v;
        double lse = SoftmaxKernel.logSumExp(logits, row, v);
        assertThat((double) first.logprob()).isCloseTo(logits[row + first.id()] - lse,
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(first.top()).hasSize(5);
        assertThat(first.top().getFirst().id()).isEqualTo(first.id()); // greedy took the best
        for (int k = 1; k < 5; k++) {
            assertThat(first.top().get(k).logprob()).isLessThanOrEqualTo(first.top().get(k - 1).logprob());
        }
        assertThat(r.prompt).hasSize(p.length);
        assertThat(r.prompt.getFirst().logprob()).isNaN();
        double lse0 = SoftmaxKernel.logSumExp(logits, 0, v);
        assertThat((double) r.prompt.get(1).logprob()).isCloseTo(logits[p[1]] - lse0,
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(r.events.getFirst()).isEqualTo("prompt");
    }

    @Test
    void penaltiesFollowOpenAisDefinition() throws Exception {
        int[] p = prompt("aaaa");
        BatchEngine engine = engine(2, 2);
        Recorder plain = run(engine, CompletionRequest.builder(p).maxTokens(30).temperature(0).build());
        Recorder penalised = run(engine, CompletionRequest.builder(p).maxTokens(30).temperature(0)
                .frequencyPenalty(2).presencePenalty(2).build());
        long distinctPlain = java.util.Arrays.stream(plain.ids(0)).distinct().count();
        long distinctPenalised = java.util.Arrays.stream(penalised.ids(0)).distinct().count();
        assertThat(distinctPenalised).isGreaterThan(distinctPlain);
    }

    @Test
    void aCancelledRequestLeavesTheBatch() throws Exception {
        BatchEngine engine = engine(2, 2);
        Recorder r = new Recorder();
        r.gate = new java.util.concurrent.CountDownLatch(1);
        Completion c = engine.submit(CompletionRequest.builder(prompt("go")).maxTokens(50).build(), r);
        awaitRunning(engine, 1);
        c.cancel();
        r.gate.countDown();
        awaitRunning(engine, 0);
        assertThat(c.done()).isTrue();
        assertThat(r.finish).isEmpty();
        assertThat(r.text(0)).hasSizeLessThan(3);
    }

    @Test
    void aFullQueueRefusesWithQueueFull() throws Exception {
        BatchEngine engine = engine(1, 0);
        Recorder first = new Recorder();
        first.gate = new java.util.concurrent.CountDownLatch(1);
        Completion running = engine.submit(CompletionRequest.builder(prompt("x")).maxTokens(50).build(), first);
        awaitRunning(engine, 1);
        assertThatThrownBy(() -> engine.submit(CompletionRequest.builder(prompt("y")).build(), new Recorder()))
                .isInstanceOf(QueueFullException.class);
        running.cancel();
        first.gate.countDown();
        awaitRunning(engine, 0);
        assertThat(run(engine, CompletionRequest.builder(prompt("y")).build()).finish.get(0)).isEqualTo("length");
    }

    private static void awaitRunning(BatchEngine engine, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (engine.running() != n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(engine.running()).isEqualTo(n);
    }

    @Test
    void requestsTheModelCannotRunAreRefusedNamingTheField() {
        BatchEngine engine = engine(2, 2);
        assertThatThrownBy(() -> engine.submit(CompletionRequest.builder(new int[CONFIG.nPositions()]).build(),
                new Recorder())).isInstanceOf(InvalidRequestException.class).hasMessageContaining("context length is 64");
        assertThatThrownBy(() -> engine.submit(CompletionRequest.builder(new int[] {999}).build(), new Recorder()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("prompt"));
        assertThatThrownBy(() -> engine.submit(CompletionRequest.builder(new int[] {1}).n(3).build(), new Recorder()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("n"));
        assertThatThrownBy(() -> CompletionRequest.builder(new int[] {1}).maxTokens(-1).build())
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("max_tokens"));
        assertThatThrownBy(() -> CompletionRequest.builder(new int[0]).build())
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("prompt"));
    }

    @Test
    void beamSearchRequestsReturnTheGeneratorsBeams() throws Exception {
        int[] p = prompt("hello");
        Recorder r = run(engine(4, 4), CompletionRequest.builder(p).maxTokens(8).numBeams(3).n(2).build());
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(8).numBeams(3).numReturnSequences(2).build();
        var beams = new Generator(model()).generate(p, config);
        assertThat(r.ids(0)).containsExactly(beams.get(0).tokens());
        assertThat(r.ids(1)).containsExactly(beams.get(1).tokens());
    }

    @Test
    void closeFinishesWhatRuns() throws Exception {
        BatchEngine engine = engine(2, 4);
        Recorder r = new Recorder();
        engine.submit(CompletionRequest.builder(prompt("bye")).maxTokens(30).build(), r);
        engine.close();
        assertThat(r.await().ids(0)).hasSize(30);
        assertThatThrownBy(() -> engine.submit(CompletionRequest.builder(prompt("x")).build(), new Recorder()))
                .isInstanceOf(IllegalStateException.class);
    }
}
