package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInit;
import org.gpt4j.tokenizer.WordPieceConfig;
import org.gpt4j.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BERT pre-training: the corpus' documents and held-out split, and a stop then resume that matches an uninterrupted run. */
class BertPreTrainerTest {

    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "the", "man", "went", "to", "store", ".", "a", "dog", "ran", "home", "cat");

    @TempDir
    Path tmp;

    private final WordPieceTokenizer tok = new WordPieceTokenizer(VOCAB, WordPieceConfig.bert(true));

    @Test
    void documentsAreSplitAtBlankLinesAndSentencesAtTheirEnds() throws Exception {
        Path f = tmp.resolve("c.txt");
        Files.writeString(f, "the man went home. a dog ran!\nthe cat ran\n\n\na dog went to the store.\n");
        BertCorpus c = BertCorpus.read(List.of(f), tok::encode);
        assertThat(c.train()).hasSize(1);
        assertThat(c.train().get(0)).hasSize(3);
        assertThat(c.validation()).hasSize(1);
        assertThat(c.validation().get(0).get(0)).containsExactly(11, 12, 7, 8, 5, 9, 10);
        Path one = tmp.resolve("one.txt");
        Files.writeString(one, "the man went home.\n");
        assertThatThrownBy(() -> BertCorpus.read(List.of(one), tok::encode)).hasMessageContaining("at least 2");
    }

    @Test
    void stoppingAndResumingTakesTheStepsOfAnUninterruptedRun() throws Exception {
        Path corpusFile = corpus();
        List<Double> straight = new ArrayList<>();
        fresh(tmp.resolve("a"), corpusFile).run(losses(straight, -1, null));

        Path b = tmp.resolve("b");
        List<Double> resumed = new ArrayList<>();
        BertPreTrainer first = fresh(b, corpusFile);
        BertPreTrainer.Summary s = first.run(losses(resumed, 3, first));
        assertThat(s.stopped()).isTrue();
        assertThat(s.steps()).isEqualTo(3);
        TrainingState state = Checkpoint.readState(b);
        Path current = Checkpoint.current(b);
        Bert bert = BertDirectory.load(current);
        AdamW adamw = new AdamW(bert.parameters(), 0.9, 0.99, AdamW.DEFAULT_EPS, 0.1);
        Checkpoint.restoreOptimizer(current, adamw, bert.parameters(), state);
        new BertPreTrainer(bert, adamw, BertCorpus.read(List.of(corpusFile), tok::encode), vocabulary(), true, b, state, m -> { })
                .run(losses(resumed, -1, null));
        assertThat(straight).hasSize(5);
        assertThat(resumed).isEqualTo(straight);
        assertThat(Files.mismatch(b.resolve("model.safetensors"), tmp.resolve("a").resolve("model.safetensors"))).isEqualTo(-1L);
    }

    @Test
    void twoReplicasTakeTheStepsOfOneProcessAccumulatingTheirMicroBatches() throws Exception {
        Path corpusFile = corpus();
        List<Double> single = new ArrayList<>();
        fresh(tmp.resolve("single"), corpusFile, Map.of("grad-accum", "2")).run(losses(single, -1, null));

        InMemoryReplicas group = new InMemoryReplicas(2);
        List<Double> replicated = new ArrayList<>();
        Path run = tmp.resolve("replicas");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<BertPreTrainer.Summary>> done = new ArrayList<>();
            for (int rank = 0; rank < 2; rank++) {
                BertPreTrainer replica = fresh(run, corpusFile, Map.of("workers", "2")).inGroup(group.member(rank));
                List<Double> into = rank == 0 ? replicated : new ArrayList<>();
                done.add(pool.submit(() -> replica.run(losses(into, -1, null))));
            }
            for (var f : done) {
                f.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(replicated).as("only replica 0 reports").hasSize(5);
        for (int i = 0; i < single.size(); i++) {
            assertThat(replicated.get(i)).as("step " + (i + 1)).isCloseTo(single.get(i), org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
        Bert a = BertDirectory.load(tmp.resolve("single"));
        Bert b = BertDirectory.load(run);
        for (var spec : a.parameters().specs()) {
            float[] x = a.parameters().data(spec.name());
            float[] y = b.parameters().data(spec.name());
            for (int i = 0; i < x.length; i++) {
                assertThat(y[i]).as(spec.name()).isCloseTo(x[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        assertThatThrownBy(() -> fresh(tmp.resolve("c"), corpusFile, Map.of()).inGroup(group.member(0)))
                .hasMessageContaining("trains on 1 workers, not 2");
    }

    private BertPreTrainer fresh(Path dir, Path corpusFile) throws Exception {
        return fresh(dir, corpusFile, Map.of());
    }

    private BertPreTrainer fresh(Path dir, Path corpusFile, Map<String, String> flags) throws Exception {
        TrainingOptions o = TrainingOptions.DEFAULTS.with(Map.of("layers", "1", "heads", "2", "embd", "8", "context", "16",
                "batch", "3", "steps", "5", "eval-every", "2", "warmup", "1", "seed", "5")).with(flags);
        BertConfig c = new BertConfig(VOCAB.size(), 8, 1, 2, 32, 16, 2, 1e-12, org.gpt4j.model.Activation.GELU, 0.0);
        Bert bert = BertInit.randomBert(c, 5);
        AdamW adamw = new AdamW(bert.parameters(), o.beta1(), o.beta2(), AdamW.DEFAULT_EPS, o.weightDecay());
        return new BertPreTrainer(bert, adamw, BertCorpus.read(List.of(corpusFile), tok::encode), vocabulary(), true, dir,
                new TrainingState(0, o, Double.NaN, -1, "key"), m -> { });
    }

    private static BertPreTrainer.Listener losses(List<Double> into, long stopAt, BertPreTrainer trainer) {
        return new BertPreTrainer.Listener() {
            @Override
            public void onStep(BertPreTrainer.StepReport r) {
                into.add(r.loss());
                if (r.step() == stopAt) {
                    trainer.requestStop();
                }
            }
        };
    }

    private BertPreTrainer.Vocabulary vocabulary() {
        return new BertPreTrainer.Vocabulary(tok.clsId(), tok.sepId(), tok.padId(), tok.maskId(), new int[] {0, 1, 2, 3, 4});
    }

    private Path corpus() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder text = new StringBuilder();
        for (int d = 0; d < 6; d++) {
            for (int s = 0; s < 5; s++) {
                for (int k = 0; k < 3 + rng.nextInt(4); k++) {
                    text.append(VOCAB.get(5 + rng.nextInt(VOCAB.size() - 5))).append(' ');
                }
                text.append(".\n");
            }
            text.append('\n');
        }
        Path f = tmp.resolve("corpus.txt");
        Files.writeString(f, text);
        return f;
    }
}
