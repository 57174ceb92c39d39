package org.gpt4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a backward pass tells its {@link BackwardListener}: every parameter exactly once, in the
 * order the pass finishes them, and only once its gradient is final (data-parallel training starts
 * sending a gradient the moment it is told, so a gradient told too early would be sent unfinished).
 */
class BackwardListenerTest {

    /** Records what it is told, with a copy of each gradient as it was at that moment. */
    private static final class Recorder implements BackwardListener {
        final Parameters parameters;
        final List<String> order = new ArrayList<>();
        final Map<String, float[]> whenTold = new HashMap<>();

        Recorder(Parameters parameters) {
            this.parameters = parameters;
        }

        @Override
        public void gradientsFinished(List<ParameterSpec> specs) {
            for (ParameterSpec s : specs) {
                order.add(s.name());
                whenTold.put(s.name(), parameters.grad(s.name()).clone());
            }
        }

        void assertEveryGradientToldOnceAndFinal() {
            List<String> all = parameters.specs().stream().map(ParameterSpec::name).toList();
            assertThat(order).as("every parameter told exactly once").hasSameSizeAs(all).containsExactlyInAnyOrderElementsOf(all);
            for (String name : all) {
                assertThat(Arrays.equals(whenTold.get(name), parameters.grad(name)))
                        .as("%s's gradient was final when told", name).isTrue();
                assertThat(parameters.grad(name)).as("%s has a gradient", name).isNotEqualTo(new float[parameters.grad(name).length]);
            }
        }
    }

    @Test
    void aGptTellsTheFinalNormThenEachBlockFromTheLastThenTheEmbeddings() {
        GptConfig config = GptConfig.gpt2(3, 2, 16, 8, 29);
        Gpt gpt = GptInit.randomGpt(config, 4);
        SplittableRandom rng = new SplittableRandom(5);
        int[] tokens = rng.ints(2 * 8, 0, 29).toArray();
        int[] targets = rng.ints(2 * 8, 0, 29).toArray();
        // Two micro-batches accumulate: only the second backward is listened to, as in a step.
        gpt.forward(tokens, targets, 2, 8);
        gpt.backward(0.5f);
        gpt.forward(targets, tokens, 2, 8);
        Recorder recorder = new Recorder(gpt.parameters());
        gpt.backward(0.5f, recorder);

        recorder.assertEveryGradientToldOnceAndFinal();
        List<String> blocks = recorder.order.stream().map(n -> n.startsWith("h.") ? n.substring(0, 4) : n).distinct().toList();
        assertThat(blocks).containsExactly("ln_f.weight", "ln_f.bias", "h.2.", "h.1.", "h.0.", "wte.weight", "wpe.weight");
    }

    @Test
    void aBertTellsTheHeadsThenEachBlockFromTheLastThenTheEmbeddings() {
        BertConfig config = new BertConfig(13, 8, 2, 2, 12, 8, 2, 1e-12, Activation.GELU, 0.1);
        Bert bert = BertInit.randomBert(config, 7);
        bert.setTraining(true, 3);
        int[] tokens = new SplittableRandom(3).ints(2 * 6, 0, 13).toArray();
        int[] types = {0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0};
        int[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
        int[] mlm = new int[2 * 6];
        Arrays.fill(mlm, Bert.IGNORE);
        mlm[1] = 4;
        mlm[7] = 0;
        bert.forward(new BertInput(2, 6, tokens, types, mask), mlm, new int[] {1, 0});
        Recorder recorder = new Recorder(bert.parameters());
        bert.backward(1f, recorder);

        recorder.assertEveryGradientToldOnceAndFinal();
        List<String> groups = recorder.order.stream().map(n -> n.startsWith("h.") ? n.substring(0, 4) : "")
                .filter(n -> !n.isEmpty()).distinct().toList();
        assertThat(groups).containsExactly("h.1.", "h.0.");
        assertThat(recorder.order.getFirst()).isEqualTo("pooler.weight");
        assertThat(recorder.order.getLast()).isEqualTo("ln_e.bias");
    }
}
