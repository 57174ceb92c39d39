#!/usr/bin/env python3
"""CartPole-v1 oracle: trajectories from Gymnasium itself, for CartPoleTest.

    python3 -m venv /work/venv-rl && /work/venv-rl/bin/pip install gymnasium
    /work/venv-rl/bin/python tools/reference/cartpole_reference.py --out core/src/test/resources/fixtures/rl

Writes <out>/cartpole.json: a list of trajectories of gym.make("CartPole-v1") (the TimeLimit of
500 steps included), each with
  start       the float64 state after reset(seed)          [x, x_dot, theta, theta_dot]
  actions     the actions taken (0 left, 1 right)
  states      the float64 state after each step (env.unwrapped.state)
  obs         the float32 observation after each step
  terminated, truncated, rewards   per step
Policies: uniform random actions, always right, and a PD controller that keeps the pole up until
the time limit truncates the episode at step 500. Generated with Gymnasium 1.3.0 / NumPy 2.4.
"""
import argparse, json, os
import numpy as np
import gymnasium as gym


def run(seed, policy):
    env = gym.make("CartPole-v1")
    obs, _ = env.reset(seed=seed)
    start = [float(v) for v in env.unwrapped.state]
    rng = np.random.default_rng(seed)
    out = {"seed": seed, "start": start, "actions": [], "states": [], "obs": [], "rewards": [],
           "terminated": [], "truncated": []}
    while True:
        a = policy(obs, rng)
        obs, r, term, trunc, _ = env.step(a)
        out["actions"].append(int(a))
        out["states"].append([float(v) for v in env.unwrapped.state])
        out["obs"].append([float(v) for v in obs])                 # float32 values, exactly
        out["rewards"].append(float(r))
        out["terminated"].append(bool(term))
        out["truncated"].append(bool(trunc))
        if term or trunc:
            return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    random_policy = lambda o, rng: int(rng.integers(2))
    right = lambda o, rng: 1
    balance = lambda o, rng: int(0.05 * o[0] + 0.5 * o[1] + 10.0 * o[2] + 1.0 * o[3] > 0)
    trajectories = [run(0, random_policy), run(7, random_policy), run(1, right), run(3, balance)]
    assert trajectories[-1]["truncated"][-1] and len(trajectories[-1]["actions"]) == 500, "controller fell"
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "cartpole.json")
    with open(path + ".tmp", "w") as f:
        json.dump({"gymnasium": gym.__version__, "trajectories": trajectories}, f)
    os.replace(path + ".tmp", path)
    print(path, [len(t["actions"]) for t in trajectories])


if __name__ == "__main__":
    main()
