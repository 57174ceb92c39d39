package org.gpt4j.generate;

/**
 * OpenAI's presence and frequency penalties: each token the model has already written (not the
 * prompt's, as vLLM reads OpenAI's definition) loses {@code presence} once and {@code frequency}
 * for every time it was written: {@code score[j] -= count[j] * frequency + (count[j] > 0) * presence}.
 * Positive values make repeats less likely, negative ones more.
 *
 * @param presence     subtracted once from every token written so far
 * @param frequency    subtracted per occurrence
 * @param promptLength where the written tokens start in the sequence
 */
public record PresenceFrequencyPenalty(double presence, double frequency, int promptLength)
        implements LogitsProcessor {

    @Override
    public String name() {
        return "presence_penalty/frequency_penalty";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        // Counts of each written token; the ids are few, so a sort-free pass over a small map.
        java.util.HashMap<Integer, Integer> counts = new java.util.HashMap<>();
        for (int i = promptLength; i < length; i++) {
            counts.merge(ids[i], 1, Integer::sum);
        }
        counts.forEach((id, count) -> scores[id] -= (float) (count * frequency + presence));
    }
}
