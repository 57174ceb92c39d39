package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A small random BERT written by {@code init --arch bert}, with a vocab.txt of the given words: the BERT commands' tests' model. */
final class TinyBert {

    private TinyBert() {
    }

    /** {@code tmp/bert}: 2 layers, 2 heads, {@code embd} wide, context 32, seed 3, vocab.txt = {@code vocab}. */
    static Path init(Path tmp, List<String> vocab, int embd) throws Exception {
        Path dir = tmp.resolve("vocab");
        Files.createDirectories(dir);
        Files.write(dir.resolve("vocab.txt"), vocab);
        Path model = tmp.resolve("bert");
        Cli.Result r = Cli.run("init", "--arch", "bert", "--layers", "2", "--heads", "2", "--embd", Integer.toString(embd), "--vocab",
                Integer.toString(vocab.size()), "--context", "32", "--seed", "3", "--tokenizer", dir.toString(), "--out", model.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("BERT");
        return model;
    }
}
