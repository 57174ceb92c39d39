package org.gpt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gpt4j.generate.GeneratedSequence;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.TokenListener;
import org.gpt4j.train.Trainer;
import org.gpt4j.train.TrainingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library facade: train a tiny model, load it, tokenize, generate and stream. */
class Gpt4jTest {

    @TempDir
    Path tmp;

    private static final TrainingOptions TINY = TrainingOptions.DEFAULTS.with(Map.of("layers", "1", "heads", "2",
            "embd", "16", "context", "16", "batch", "4", "steps", "6", "eval-every", "6", "eval-batches", "2",
            "sample-tokens", "5", "warmup", "2"));

    private Path trainTiny() throws Exception {
        Path text = Files.writeString(tmp.resolve("input.txt"), "to be or not to be, that is the question. ".repeat(40));
        Path out = tmp.resolve("run");
        Trainer.Summary s = Gpt4j.train(List.of(text), out, TINY);
        assertThat(s.steps()).isEqualTo(6);
        assertThat(s.valLoss()).isFinite();
        return out;
    }

    @Test
    void trainedModelLoadsTokenizesAndStreamsWhatItReturns() throws Exception {
        Model model = Gpt4j.load(trainTiny());
        assertThat(model.decode(model.tokenize("to be"))).isEqualTo("to be");
        assertThat(model.gpt().config().nLayer()).isEqualTo(1);

        GenerationConfig config = GenerationConfig.builder().maxNewTokens(12).doSample(true).temperature(0.9).seed(3).build();
        StringBuilder streamed = new StringBuilder();
        String text = model.generate("to ", config, streamed::append);
        assertThat(streamed.toString()).isEqualTo(text);
        assertThat(text).hasSize(12);
        // One seed, one text; the id-level call gives the same tokens.
        assertThat(model.generate("to ", config)).isEqualTo(text);
        List<GeneratedSequence> ids = model.generate(model.tokenize("to "), config, TokenListener.NONE);
        assertThat(model.decode(ids.get(0).tokens())).isEqualTo(text);
    }

    @Test
    void trainingRefusesADirectoryThatHoldsARun() throws Exception {
        Path out = trainTiny();
        assertThatThrownBy(() -> Gpt4j.train(List.of(tmp.resolve("input.txt")), out, TINY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already holds a training run");
    }

    @Test
    void aMissingDirectoryIsAnErrorNamingIt() {
        assertThatThrownBy(() -> Gpt4j.load(tmp.resolve("nothing-here"))).hasMessageContaining("nothing-here");
    }
}
