package org.gpt4j.rl;

/**
 * Gymnasium's CartPole-v1 (Barto, Sutton and Anderson 1983): a pole on a cart that moves on a
 * track; each step pushes the cart left (action 0) or right (action 1) with a force of 10 N, the
 * reward is 1 for every step, and the episode terminates when the pole leans more than 12 degrees
 * or the cart leaves [-2.4, 2.4] (the time limit of 500 steps is {@link VectorCartPole}'s).
 *
 * <p>The state is double precision and every expression is evaluated in the order Gymnasium's
 * {@code cartpole.py} writes it (explicit Euler, tau 0.02), so a trajectory matches Gymnasium's
 * bit for bit from the same start; observations are the state rounded to float, as Gymnasium's
 * {@code np.array(self.state, dtype=np.float32)}. StrictMath, not Math: the same bits in every run.
 */
public final class CartPole {

    public static final int OBSERVATIONS = 4;
    public static final int ACTIONS = 2;

    static final double GRAVITY = 9.8;
    static final double MASS_CART = 1.0;
    static final double MASS_POLE = 0.1;
    static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    /** Half the pole's length. */
    static final double LENGTH = 0.5;
    static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
    static final double FORCE = 10.0;
    static final double TAU = 0.02;
    static final double THETA_THRESHOLD = 12 * 2 * Math.PI / 360;
    static final double X_THRESHOLD = 2.4;
    /** Each state variable of a reset is uniform in [-RESET_BOUND, RESET_BOUND). */
    static final double RESET_BOUND = 0.05;

    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;

    /** Sets the state (cart position, cart velocity, pole angle, pole angular velocity). */
    public void setState(double x, double xDot, double theta, double thetaDot) {
        this.x = x;
        this.xDot = xDot;
        this.theta = theta;
        this.thetaDot = thetaDot;
    }

    /** A new episode: every state variable drawn uniformly from [-0.05, 0.05). */
    public void reset(java.util.random.RandomGenerator rng) {
        setState(uniform(rng), uniform(rng), uniform(rng), uniform(rng));
    }

    private static double uniform(java.util.random.RandomGenerator rng) {
        return -RESET_BOUND + 2 * RESET_BOUND * rng.nextDouble();
    }

    /**
     * Advances one step of tau seconds under action 0 (push left) or 1 (push right).
     *
     * @return true when the episode has terminated (the pole fell or the cart left the track)
     */
    public boolean step(int action) {
        if (action != 0 && action != 1) {
            throw new IllegalArgumentException("CartPole action must be 0 or 1, got " + action);
        }
        double force = action == 1 ? FORCE : -FORCE;
        double cosTheta = StrictMath.cos(theta);
        double sinTheta = StrictMath.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sinTheta) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sinTheta - cosTheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * (cosTheta * cosTheta) / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cosTheta / TOTAL_MASS;
        x = x + TAU * xDot;
        xDot = xDot + TAU * xAcc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaAcc;
        return x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD || theta > THETA_THRESHOLD;
    }

    /** The state in double precision: x, x', theta, theta'. */
    public double[] state() {
        return new double[] {x, xDot, theta, thetaDot};
    }

    /** Writes the observation (the state rounded to float) at {@code obs[offset .. offset + 4)}. */
    public void observe(float[] obs, int offset) {
        obs[offset] = (float) x;
        obs[offset + 1] = (float) xDot;
        obs[offset + 2] = (float) theta;
        obs[offset + 3] = (float) thetaDot;
    }
}
