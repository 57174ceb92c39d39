package org.gpt4j.generate;

import java.util.List;

/**
 * One step of the generation timeline: the most likely candidates under the model and their
 * probability after each processing stage (0 once a filter removed them), and the token chosen.
 *
 * @param index      the step (0 = the first new token)
 * @param stages     "model" (the plain softmax) followed by each processor's name, in order
 * @param candidates the top candidates by model probability, plus the chosen token if it was
 *                   not among them
 * @param chosen     the token appended
 */
public record GenerationStep(int index, List<String> stages, List<Candidate> candidates, int chosen) {

    /** A token and its probability at each stage. */
    public record Candidate(int id, double[] probabilities) {
    }
}
