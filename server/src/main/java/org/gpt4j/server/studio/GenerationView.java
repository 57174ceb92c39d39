package org.gpt4j.server.studio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gpt4j.generate.FinishReason;
import org.gpt4j.generate.GeneratedSequence;
import org.gpt4j.generate.GenerationConfig;
import org.gpt4j.generate.GenerationStep;
import org.gpt4j.generate.Generator;
import org.gpt4j.generate.TokenListener;
import org.gpt4j.inspect.Inspection;
import org.gpt4j.inspect.LogitLens;
import org.gpt4j.inspect.TopTokens;
import org.gpt4j.model.GptConfig;

/**
 * View f: generation one token at a time. The generate package's {@link Generator} runs with its
 * candidate timeline on: at each step the top candidates, their probability under the model and
 * after each logits processor the live controls switch on (temperature, top_k, top_p; 0 once a
 * filter removed them), and the token chosen. Then one traced forward over the finished
 * sequence gives the logit lens of every step at once: causal attention means position p of the
 * whole sequence saw exactly what step p saw.
 */
final class GenerationView {

    static final int MAX_STEPS = 64;
    static final int CANDIDATES = 10;
    static final int LENS_TOP = 3;

    record Token(int id, String text) {
    }

    record Candidate(int id, String text, double[] probabilities, boolean removed) {
    }

    record LensToken(int id, String text, double probability) {
    }

    record Step(int index, Token chosen, List<String> stages, List<Candidate> candidates, List<List<LensToken>> lens) {
    }

    record Response(List<Token> prompt, List<Step> steps, String text, String finishReason, List<String> layerNames) {
    }

    private GenerationView() {
    }

    static Response of(LoadedModel model, Params p) {
        int[] prompt = model.input(p);
        GptConfig c = model.config();
        int room = c.nPositions() - prompt.length;
        if (room < 1) {
            throw ApiError.badRequest("the input fills the whole context (" + c.nPositions()
                    + " tokens): shorten it to leave room for generated tokens");
        }
        int steps = p.integer("steps", 10, 1, MAX_STEPS);
        if (steps > room) {
            throw ApiError.badRequest("steps = " + steps + " would pass the context of " + c.nPositions()
                    + " tokens after a " + prompt.length + "-token input: at most " + room + " here");
        }
        boolean sample = Boolean.parseBoolean(p.choice("sample", "true", "true", "false"));
        GenerationConfig config = GenerationConfig.builder()
                .maxNewTokens(steps)
                .doSample(sample)
                .temperature(p.number("temperature", 1.0, 0.01, 100))
                .topK(p.integer("top_k", 50, 0, c.vocabSize()))
                .topP(p.number("top_p", 1.0, 0.001, 1))
                .seed(p.integer("seed", 1, 0, Integer.MAX_VALUE))
                .build();
        List<GenerationStep> timeline = new ArrayList<>();
        TokenListener listener = new TokenListener() {
            @Override
            public void onToken(int sequence, int id) {
            }

            @Override
            public void onStep(int sequence, GenerationStep step) {
                timeline.add(step);
            }
        };
        GeneratedSequence out = model.exclusive(gpt -> new Generator(gpt, model.tokenizer() == null ? null
                : model.tokenizer()::tokenBytes).generate(prompt, config, listener, CANDIDATES).getFirst());
        int[] generated = out.tokens();

        // One traced forward over prompt + generated (but the last token, which predicts nothing
        // shown) reads every step's logit lens.
        int[] all = Arrays.copyOf(prompt, prompt.length + generated.length);
        System.arraycopy(generated, 0, all, prompt.length, generated.length);
        Inspection traced = model.analyze(Arrays.copyOf(all, all.length - 1)).inspection();
        List<Step> stepsOut = new ArrayList<>();
        for (GenerationStep s : timeline) {
            List<List<LensToken>> lens = new ArrayList<>();
            for (List<TopTokens.Candidate> layer : LogitLens.read(model.gpt(), traced, prompt.length - 1 + s.index(), LENS_TOP)) {
                lens.add(layer.stream().map(x -> new LensToken(x.id(), model.tokenText(x.id()),
                        Matrices.significant(x.probability(), 4))).toList());
            }
            List<Candidate> candidates = new ArrayList<>();
            for (GenerationStep.Candidate cd : s.candidates()) {
                double[] probs = cd.probabilities().clone();
                for (int i = 0; i < probs.length; i++) {
                    probs[i] = Matrices.significant(probs[i], 4);
                }
                candidates.add(new Candidate(cd.id(), model.tokenText(cd.id()), probs, cd.probabilities()[probs.length - 1] == 0));
            }
            stepsOut.add(new Step(s.index(), new Token(s.chosen(), model.tokenText(s.chosen())), s.stages(), candidates, lens));
        }
        List<Token> promptTokens = new ArrayList<>();
        for (int id : prompt) {
            promptTokens.add(new Token(id, model.tokenText(id)));
        }
        String text = model.tokenizer() == null ? Arrays.toString(generated) : model.tokenizer().decode(generated);
        return new Response(promptTokens, stepsOut, text, finish(out.reason()), EmbeddingsView.layerNames(c));
    }

    private static String finish(FinishReason r) {
        return r.name().toLowerCase(java.util.Locale.ROOT);
    }
}
