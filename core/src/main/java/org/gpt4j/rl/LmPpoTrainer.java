package org.gpt4j.rl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.train.AdamW;

/**
 * PPO on a language model, as TRL's {@code PPOTrainer} (Ziegler et al. 2019; Stiennon et al.
 * 2020). Each step:
 * <ol>
 *   <li>samples a response of R tokens to each of B prompts from the policy ({@link ResponseSampler});
 *   <li>scores each (prompt, response) with the reward ({@link ResponseReward});
 *   <li>re-runs the policy (log pi, V) and the frozen reference (log pi_ref) over the batch, in the
 *       minibatches of the first epoch, so that the first minibatch's ratio is exactly 1;
 *   <li>rewards per token: r_j = -beta (log pi - log pi_ref)_j, plus the score at the last token;
 *       GAE (gamma, lambda) over the response; advantages whitened over the batch;
 *   <li>runs the epochs of minibatches through {@link PpoLoss} (clipped ratio and value), the
 *       policy's backward and Adam;
 *   <li>adapts beta towards the target KL ({@link AdaptiveKlController}).
 * </ol>
 * The reported KL is TRL's {@code objective/kl}: the mean over responses of the summed per-token
 * k1 estimate log pi - log pi_ref. The losses, entropy, clip fraction and approx KL are means over
 * the step's minibatches. One seed is split into streams (value head, prompt order, sampling,
 * shuffles), so a seed repeats a run bit for bit.
 */
public final class LmPpoTrainer {

    /** A sample shown at an evaluation. */
    public record Sample(String prompt, String response, double score) {
    }

    /**
     * What one step did. {@code firstRatioDeviation} is max |log pi_new - log pi_old| over the
     * first minibatch, before any update of this step (0 exactly: the ratio is 1).
     */
    public record StepReport(int step, int steps, double meanScore, double kl, double beta, double entropy,
            double clipFraction, double valueLoss, double policyLoss, double approxKl, double firstRatioDeviation,
            double meanReturn, double seconds, double tokensPerSecond, List<Sample> samples) {
    }

    private final LmPpoConfig config;
    private final PolicyWithValueHead policy;
    private final PolicyWithValueHead reference;
    private final ResponseReward reward;
    private final Tokenizer tokenizer;
    private final List<int[]> prompts;
    private final AdaptiveKlController kl;
    private final AdamW gptAdam;
    private final AdamW headAdam;
    private final SplittableRandom promptRng;
    private final SplittableRandom sampleRng;
    private final SplittableRandom shuffleRng;
    private final int[] promptOrder;
    private int promptCursor;
    private int step;

    /**
     * @param start the starting policy: trained in place; the reference is a frozen copy of it
     */
    public LmPpoTrainer(LmPpoConfig config, Gpt start, ResponseReward reward, Tokenizer tokenizer, List<int[]> prompts) {
        this(config, start, null, reward, tokenizer, prompts);
    }

    /**
     * @param start     the starting policy: trained in place; the reference is a frozen copy of it
     * @param valueHead the starting policy's value head ({@code [1, n_embd]}, trained in place), or
     *                  null for a new one drawn from the seed
     */
    public LmPpoTrainer(LmPpoConfig config, Gpt start, ClassificationHead valueHead, ResponseReward reward,
            Tokenizer tokenizer, List<int[]> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("PPO needs at least one prompt");
        }
        for (int[] p : prompts) {
            if (p.length == 0) {
                throw new IllegalArgumentException("a prompt has no tokens");
            }
            if (p.length + config.responseTokens() > start.config().nPositions()) {
                throw new IllegalArgumentException("a prompt of " + p.length + " tokens and " + config.responseTokens()
                        + " response tokens exceed the context of " + start.config().nPositions());
            }
        }
        this.config = config;
        SplittableRandom root = new SplittableRandom(config.seed());
        // drawn either way, so that a given head leaves the other streams as they were
        long headSeed = root.nextLong();
        ClassificationHead head = valueHead != null ? valueHead
                : ClassificationHead.initialized(1, start.config().nEmbd(), headSeed);
        this.promptRng = root.split();
        this.sampleRng = root.split();
        this.shuffleRng = root.split();
        this.policy = new PolicyWithValueHead(start, head);
        this.reference = new PolicyWithValueHead(frozenCopy(start), null);
        this.reward = reward;
        this.tokenizer = tokenizer;
        this.prompts = List.copyOf(prompts);
        this.kl = new AdaptiveKlController(config.klCoef(), config.targetKl(), config.klHorizon());
        // torch.optim.Adam (TRL's optimiser): AdamW without weight decay
        this.gptAdam = new AdamW(start.parameters(), 0.9, 0.999, AdamW.DEFAULT_EPS, 0.0);
        this.headAdam = new AdamW(head.parameters(), 0.9, 0.999, AdamW.DEFAULT_EPS, 0.0);
        this.promptOrder = new int[prompts.size()];
        for (int i = 0; i < promptOrder.length; i++) {
            promptOrder[i] = i;
        }
        shuffle(promptOrder, promptRng);
    }

    /** A copy of a GPT's weights that training the original leaves unchanged. */
    static Gpt frozenCopy(Gpt gpt) {
        Parameters p = gpt.parameters();
        Map<String, float[]> values = new HashMap<>();
        for (ParameterSpec s : p.specs()) {
            values.put(s.name(), p.data(s.name()).clone());
        }
        return new Gpt(gpt.config(), Parameters.of(p.layout(), values));
    }

    public PolicyWithValueHead policy() {
        return policy;
    }

    public double beta() {
        return kl.value();
    }

    /** Runs one PPO step. */
    public StepReport step() {
        long t0 = System.nanoTime();
        step++;
        List<int[]> batchPrompts = nextPrompts();
        int[][] responses = ResponseSampler.sample(policy.gpt(), batchPrompts, config.responseTokens(), sampleRng);
        List<String> promptText = new ArrayList<>(batchPrompts.size());
        List<String> responseText = new ArrayList<>(batchPrompts.size());
        for (int i = 0; i < responses.length; i++) {
            promptText.add(tokenizer.decode(batchPrompts.get(i)));
            responseText.add(tokenizer.decode(responses[i]));
        }
        float[] scores = reward.score(promptText, responseText, List.of(responses));
        if (scores.length != responses.length) {
            throw new IllegalStateException("the reward gave " + scores.length + " scores for " + responses.length
                    + " responses");
        }
        LmRollout r = new LmRollout(batchPrompts, responses, scores);
        int[][] firstEpoch = minibatches(r.b);
        evaluateOld(r, firstEpoch);
        double meanKl = rewardsAndAdvantages(r);
        double beta = kl.value();
        LmPpoUpdate.Stats stats = new LmPpoUpdate(config, policy, gptAdam, headAdam).run(r, firstEpoch,
                () -> minibatches(r.b));
        kl.update(meanKl, r.b);

        double meanScore = mean(scores, scores.length);
        double meanReturn = 0;
        for (int i = 0; i < r.b; i++) {
            meanReturn += r.returns[i * r.r];
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Sample> samples = new ArrayList<>();
        if (step == 1 || step % config.evalEvery() == 0 || step == config.steps()) {
            for (int i = 0; i < Math.min(4, r.b); i++) {
                samples.add(new Sample(promptText.get(i), responseText.get(i), scores[i]));
            }
        }
        return new StepReport(step, config.steps(), meanScore, meanKl, beta, stats.entropy(), stats.clipFraction(),
                stats.valueLoss(), stats.policyLoss(), stats.approxKl(), stats.firstRatioDeviation(),
                meanReturn / r.b, seconds, r.b * r.r / seconds, samples);
    }

    /** Policy log-probabilities and values, reference log-probabilities, over the epoch-0 minibatches. */
    private void evaluateOld(LmRollout r, int[][] firstEpoch) {
        for (int[] rows : firstEpoch) {
            LmRollout.Minibatch mb = r.minibatch(rows);
            int n = mb.m() * r.r;
            float[] logp = new float[n];
            float[] values = new float[n];
            float[] ref = new float[n];
            policy.forward(mb.tokens(), mb.m(), r.length, mb.positions(), mb.actions(), logp, null, values);
            reference.forward(mb.tokens(), mb.m(), r.length, mb.positions(), mb.actions(), ref, null, null);
            r.scatter(r.oldLogp, logp, rows);
            r.scatter(r.oldValues, values, rows);
            r.scatter(r.refLogp, ref, rows);
        }
    }

    /**
     * Per-token rewards (KL penalty, score at the end), GAE over each response and batch-whitened
     * advantages (TRL's masked_whiten: unbiased variance, eps 1e-8). Returns the mean summed KL.
     */
    private double rewardsAndAdvantages(LmRollout r) {
        double beta = kl.value();
        double klSum = 0;
        int b = r.b;
        int n = r.r;
        // Gae reads step-major [R, B]
        float[] rewards = new float[b * n];
        float[] values = new float[b * n];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                double k = (double) r.oldLogp[i * n + j] - r.refLogp[i * n + j];
                klSum += k;
                float rw = (float) (-beta * k);
                if (j == n - 1) {
                    rw += r.scores[i];
                }
                r.rewards[i * n + j] = rw;
                rewards[j * b + i] = rw;
                values[j * b + i] = r.oldValues[i * n + j];
            }
        }
        float[] adv = new float[b * n];
        float[] ret = new float[b * n];
        float[] ones = new float[b];
        java.util.Arrays.fill(ones, 1f);
        Gae.compute(adv, ret, rewards, values, new float[b * n], new float[b], ones, n, b, config.gamma(),
                config.lambda());
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                r.advantages[i * n + j] = adv[j * b + i];
                r.returns[i * n + j] = ret[j * b + i];
            }
        }
        double mean = mean(r.advantages, b * n);
        double ss = 0;
        for (int i = 0; i < b * n; i++) {
            double d = r.advantages[i] - mean;
            ss += d * d;
        }
        double scale = 1 / Math.sqrt(ss / (b * n - 1) + 1e-8);
        for (int i = 0; i < b * n; i++) {
            r.advantages[i] = (float) ((r.advantages[i] - mean) * scale);
        }
        return klSum / b;
    }

    /** The next B prompts of a shuffled order, reshuffled after each pass over the prompts. */
    private List<int[]> nextPrompts() {
        List<int[]> out = new ArrayList<>(config.batch());
        for (int i = 0; i < config.batch(); i++) {
            if (promptCursor == promptOrder.length) {
                shuffle(promptOrder, promptRng);
                promptCursor = 0;
            }
            out.add(prompts.get(promptOrder[promptCursor++]));
        }
        return out;
    }

    /** One epoch's minibatches: a shuffled order of the batch's rows, cut into minibatch-sized pieces. */
    private int[][] minibatches(int b) {
        int[] order = new int[b];
        for (int i = 0; i < b; i++) {
            order[i] = i;
        }
        shuffle(order, shuffleRng);
        int m = config.minibatch();
        int[][] out = new int[b / m][];
        for (int k = 0; k < out.length; k++) {
            out[k] = java.util.Arrays.copyOfRange(order, k * m, (k + 1) * m);
        }
        return out;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double mean(float[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i];
        }
        return s / n;
    }
}
