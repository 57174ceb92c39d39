package org.gpt4j.generate;

import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAI's {@code logit_bias}: a fixed amount added to chosen tokens' scores at every step, before
 * any other processing. -100 in practice bans a token and +100 forces it (OpenAI's own
 * description); values in between nudge.
 *
 * @param bias token id to the amount added, each in [-100, 100]
 */
public record LogitBias(Map<Integer, Double> bias) implements LogitsProcessor {

    /** OpenAI's bound on one bias. */
    public static final double LIMIT = 100;

    public LogitBias {
        bias = Map.copyOf(new TreeMap<>(bias));
        for (Map.Entry<Integer, Double> e : bias.entrySet()) {
            double b = e.getValue();
            if (!(b >= -LIMIT && b <= LIMIT)) {
                throw new IllegalArgumentException("the bias of token " + e.getKey() + " must be in [-100, 100], got " + b);
            }
        }
    }

    @Override
    public String name() {
        return "logit_bias";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        bias.forEach((id, b) -> scores[id] += b.floatValue());
    }
}
