package org.gpt4j.generate;

/** Divides the scores by the temperature: below 1 sharpens the distribution, above 1 flattens it. */
record Temperature(double temperature) implements LogitsProcessor {

    @Override
    public String name() {
        return "temperature";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) (scores[i] / temperature);
        }
    }
}
