package org.gpt4j.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Before and after PPO side by side: a response to each prompt sampled from each of two policies
 * (temperature 1, as during PPO, with the same random stream for both, so a prompt's two responses
 * differ only by the policies), and the reward's score of each: TRL's "before / after" table.
 */
public final class PolicyComparison {

    /** One prompt's two responses and their scores. */
    public record Pair(String prompt, String before, String after, double beforeScore, double afterScore) {
    }

    private static final int CHUNK = 32;

    private PolicyComparison() {
    }

    public static List<Pair> run(Gpt before, Gpt after, ResponseReward reward, Tokenizer tokenizer,
            List<int[]> prompts, int responseTokens, long seed) {
        List<Pair> out = new ArrayList<>(prompts.size());
        SplittableRandom beforeRng = new SplittableRandom(seed);
        SplittableRandom afterRng = new SplittableRandom(seed);
        for (int from = 0; from < prompts.size(); from += CHUNK) {
            List<int[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + CHUNK));
            int[][] a = ResponseSampler.sample(before, chunk, responseTokens, beforeRng);
            int[][] b = ResponseSampler.sample(after, chunk, responseTokens, afterRng);
            List<String> text = new ArrayList<>();
            List<String> aText = new ArrayList<>();
            List<String> bText = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                text.add(tokenizer.decode(chunk.get(i)));
                aText.add(tokenizer.decode(a[i]));
                bText.add(tokenizer.decode(b[i]));
            }
            float[] sa = reward.score(text, aText, List.of(a));
            float[] sb = reward.score(text, bText, List.of(b));
            for (int i = 0; i < chunk.size(); i++) {
                out.add(new Pair(text.get(i), aText.get(i), bText.get(i), sa[i], sb[i]));
            }
        }
        return out;
    }
}
