package org.gpt4j.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;

/**
 * CleanRL's PPO agent for discrete actions: two separate tanh MLPs of 64-64 units, an actor whose
 * outputs are the logits of a categorical policy and a critic whose single output is the state
 * value. Initialisation as CleanRL's {@code layer_init}: orthogonal weights with gain sqrt(2) in
 * the hidden layers, 0.01 in the actor's output (a nearly uniform first policy) and 1 in the
 * critic's, biases 0. Both networks' tensors share one {@link Parameters}, so AdamW and the
 * global gradient-norm clipping treat them as one model, as torch's {@code agent.parameters()}.
 */
public final class ActorCritic {

    public static final int HIDDEN = 64;

    private final Parameters parameters;
    private final TanhMlp actor;
    private final TanhMlp critic;
    private final int observations;
    private final int actions;

    private ActorCritic(Parameters parameters, int observations, int actions, int hidden) {
        this.parameters = parameters;
        this.observations = observations;
        this.actions = actions;
        this.actor = new TanhMlp(parameters, "actor", observations, hidden, actions);
        this.critic = new TanhMlp(parameters, "critic", observations, hidden, 1);
    }

    /** A new agent, initialised from {@code seed} (the same seed gives the same bits). */
    public static ActorCritic initialized(int observations, int actions, int hidden, long seed) {
        if (observations < 1 || actions < 2 || hidden < 1) {
            throw new IllegalArgumentException("an actor-critic needs >= 1 observation, >= 2 actions and >= 1 hidden unit, got "
                    + observations + ", " + actions + ", " + hidden);
        }
        List<ParameterSpec> specs = new ArrayList<>(TanhMlp.specs("critic", observations, hidden, 1));
        specs.addAll(TanhMlp.specs("actor", observations, hidden, actions));
        Parameters p = Parameters.zeros(ParameterLayout.ofSpecs(specs));
        SplittableRandom rng = new SplittableRandom(seed);
        double sqrt2 = Math.sqrt(2);
        // CleanRL builds the critic first, then the actor; each layer's orthogonal draw in turn.
        OrthogonalInit.fill(p.data("critic.0.weight"), observations, hidden, sqrt2, rng);
        OrthogonalInit.fill(p.data("critic.2.weight"), hidden, hidden, sqrt2, rng);
        OrthogonalInit.fill(p.data("critic.4.weight"), hidden, 1, 1.0, rng);
        OrthogonalInit.fill(p.data("actor.0.weight"), observations, hidden, sqrt2, rng);
        OrthogonalInit.fill(p.data("actor.2.weight"), hidden, hidden, sqrt2, rng);
        OrthogonalInit.fill(p.data("actor.4.weight"), hidden, actions, 0.01, rng);
        return new ActorCritic(p, observations, actions, hidden);
    }

    public Parameters parameters() {
        return parameters;
    }

    public int observations() {
        return observations;
    }

    public int actions() {
        return actions;
    }

    /** logits {@code [rows, actions]} of the policy at observations {@code [rows, observations]}. */
    public void logits(float[] logits, float[] obs, int rows) {
        actor.forward(logits, obs, rows);
    }

    /** values {@code [rows]} of the critic at observations {@code [rows, observations]}. */
    public void values(float[] values, float[] obs, int rows) {
        critic.forward(values, obs, rows);
    }

    /** Accumulates the actor's gradients from dL/dlogits, for the obs of the last {@link #logits} call. */
    public void backwardLogits(float[] dlogits, float[] obs, int rows) {
        actor.backward(dlogits, obs, rows);
    }

    /** Accumulates the critic's gradients from dL/dvalues, for the obs of the last {@link #values} call. */
    public void backwardValues(float[] dvalues, float[] obs, int rows) {
        critic.backward(dvalues, obs, rows);
    }
}
