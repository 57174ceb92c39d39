package org.gpt4j.generate;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.inspect.TopTokens;
import org.gpt4j.tensor.SoftmaxKernel;

/** Records one step of the candidate timeline: probabilities of the top candidates at each stage. */
final class Timeline {

    private final int k;
    private final List<String> stages = new ArrayList<>();
    private final List<double[]> distributions = new ArrayList<>();
    private int[] ids;

    Timeline(int k) {
        this.k = k;
    }

    /** Starts a step from the model's raw scores. */
    void start(float[] scores) {
        stages.clear();
        distributions.clear();
        ids = TopTokens.of(scores, 0, scores.length, Math.min(k, scores.length)).stream()
                .mapToInt(TopTokens.Candidate::id).toArray();
        after("model", scores);
    }

    /** The distribution after a stage. */
    void after(String stage, float[] scores) {
        double[] probs = new double[scores.length];
        SoftmaxKernel.softmax(probs, scores, 0, scores.length);
        stages.add(stage);
        distributions.add(probs);
    }

    GenerationStep finish(int index, int chosen) {
        List<GenerationStep.Candidate> out = new ArrayList<>();
        boolean listed = false;
        for (int id : ids) {
            out.add(candidate(id));
            listed |= id == chosen;
        }
        if (!listed) {
            out.add(candidate(chosen));
        }
        return new GenerationStep(index, List.copyOf(stages), List.copyOf(out), chosen);
    }

    private GenerationStep.Candidate candidate(int id) {
        double[] p = new double[distributions.size()];
        for (int s = 0; s < p.length; s++) {
            p[s] = distributions.get(s)[id];
        }
        return new GenerationStep.Candidate(id, p);
    }
}
