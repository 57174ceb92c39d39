#!/usr/bin/env python3
"""PPO loss pieces oracle: CleanRL ppo.py's GAE and loss in PyTorch on fixed tensors, for PpoLossTest.

    /usr/bin/python3 tools/reference/ppo_reference.py --out core/src/test/resources/fixtures/rl

Writes <out>/ppo.json with
  gae[]   rollouts [T, N] (rewards, values, dones, next_value, next_done, and for the truncation case
          the truncated mask and V of each truncated episode's final observation) and CleanRL's
          advantages and returns (the truncation case: rewards += gamma V(final) first)
  loss[]  minibatches: logits [M, A], actions, old log-probs, advantages, old values, new values,
          returns, the coefficients; the outputs new log-probs, entropy, pg_loss, v_loss,
          entropy_loss, loss, old_approx_kl, approx_kl, clipfrac, and d loss / d logits and
          d loss / d values by autograd
The loss code is CleanRL's (ppo.py, the update loop) verbatim apart from variable plumbing.
Old log-probs are the new ones shifted by noise, some by exactly 0 (ratio 1, where torch.max
splits the gradient) and some far (ratios outside the clip range). Float32 throughout, as CleanRL.
"""
import argparse, json, os
import torch
from torch.distributions.categorical import Categorical

torch.set_num_threads(1)
GAMMA, LAMBDA = 0.99, 0.95


def gae(rewards, values, dones, next_value, next_done):
    T = rewards.shape[0]
    advantages = torch.zeros_like(rewards)
    lastgaelam = 0
    for t in reversed(range(T)):
        if t == T - 1:
            nextnonterminal = 1.0 - next_done
            nextvalues = next_value
        else:
            nextnonterminal = 1.0 - dones[t + 1]
            nextvalues = values[t + 1]
        delta = rewards[t] + GAMMA * nextvalues * nextnonterminal - values[t]
        advantages[t] = lastgaelam = delta + GAMMA * LAMBDA * nextnonterminal * lastgaelam
    return advantages, advantages + values


def gae_case(g, T, N, truncation):
    rewards = torch.rand(T, N, generator=g) * 2 - 0.5
    values = torch.randn(T, N, generator=g) * 3
    dones = (torch.rand(T, N, generator=g) < 0.2).float()
    next_value = torch.randn(N, generator=g)
    next_done = (torch.rand(N, generator=g) < 0.3).float()
    case = {"T": T, "N": N, "gamma": GAMMA, "lambda": LAMBDA, "rewards": rewards, "values": values, "dones": dones,
            "next_value": next_value, "next_done": next_done}
    r = rewards
    if truncation:
        # an episode ends at step t when dones[t + 1] (or next_done) is set; some of those are truncations
        ended = torch.cat([dones[1:], next_done[None]], 0)
        truncated = (ended > 0) & (torch.rand(T, N, generator=g) < 0.5)
        final_values = torch.randn(T, N, generator=g)
        r = rewards + GAMMA * final_values * truncated.float()
        case["truncated"] = truncated.int()
        case["final_values"] = final_values
    adv, ret = gae(r, values, dones, next_value, next_done)
    case["advantages"], case["returns"] = adv, ret
    return case


def loss_case(g, M, A, clip_coef, norm_adv, clip_vloss, ent_coef, vf_coef):
    logits = (torch.randn(M, A, generator=g) * 1.5).requires_grad_()
    newvalue = (torch.randn(M, generator=g) * 2).requires_grad_()
    actions = torch.randint(A, (M,), generator=g)
    with torch.no_grad():
        logp_now = Categorical(logits=logits).log_prob(actions)
    shift = torch.randn(M, generator=g) * 0.3
    shift[::4] = 0.0                                               # ratio exactly 1
    b_logprobs = logp_now + shift
    b_advantages = torch.randn(M, generator=g) * 2
    b_values = newvalue.detach() + torch.randn(M, generator=g) * 0.4  # some |v - v_old| > clip
    b_returns = b_values + torch.randn(M, generator=g) * 1.5

    probs = Categorical(logits=logits)
    newlogprob = probs.log_prob(actions)
    entropy = probs.entropy()
    logratio = newlogprob - b_logprobs
    ratio = logratio.exp()
    with torch.no_grad():
        old_approx_kl = (-logratio).mean()
        approx_kl = ((ratio - 1) - logratio).mean()
        clipfrac = ((ratio - 1.0).abs() > clip_coef).float().mean().item()
    mb_advantages = b_advantages
    if norm_adv:
        mb_advantages = (mb_advantages - mb_advantages.mean()) / (mb_advantages.std() + 1e-8)
    pg_loss1 = -mb_advantages * ratio
    pg_loss2 = -mb_advantages * torch.clamp(ratio, 1 - clip_coef, 1 + clip_coef)
    pg_loss = torch.max(pg_loss1, pg_loss2).mean()
    newvalue_ = newvalue.view(-1)
    if clip_vloss:
        v_loss_unclipped = (newvalue_ - b_returns) ** 2
        v_clipped = b_values + torch.clamp(newvalue_ - b_values, -clip_coef, clip_coef)
        v_loss_clipped = (v_clipped - b_returns) ** 2
        v_loss_max = torch.max(v_loss_unclipped, v_loss_clipped)
        v_loss = 0.5 * v_loss_max.mean()
    else:
        v_loss = 0.5 * ((newvalue_ - b_returns) ** 2).mean()
    entropy_loss = entropy.mean()
    loss = pg_loss - ent_coef * entropy_loss + v_loss * vf_coef
    loss.backward()
    return {"M": M, "A": A, "clip_coef": clip_coef, "norm_adv": norm_adv, "clip_vloss": clip_vloss,
            "ent_coef": ent_coef, "vf_coef": vf_coef, "logits": logits.detach(), "actions": actions,
            "old_logprobs": b_logprobs, "advantages": b_advantages, "old_values": b_values,
            "new_values": newvalue.detach(), "returns": b_returns, "new_logprobs": newlogprob.detach(),
            "entropy": entropy.detach(), "pg_loss": pg_loss.item(), "v_loss": v_loss.item(),
            "entropy_loss": entropy_loss.item(), "loss": loss.item(), "old_approx_kl": old_approx_kl.item(),
            "approx_kl": approx_kl.item(), "clipfrac": clipfrac, "grad_logits": logits.grad,
            "grad_values": newvalue.grad}


def plain(o):
    if isinstance(o, torch.Tensor):
        return o.tolist()
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items()}
    if isinstance(o, list):
        return [plain(v) for v in o]
    return o


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    g = torch.Generator().manual_seed(20171)
    gae_cases = [gae_case(g, 7, 3, False), gae_case(g, 16, 4, False), gae_case(g, 9, 2, True)]
    loss_cases = [loss_case(g, 16, 2, 0.2, True, True, 0.01, 0.5),   # CleanRL's CartPole setting
                  loss_case(g, 12, 5, 0.1, True, True, 0.05, 1.0),
                  loss_case(g, 10, 3, 0.2, False, False, 0.0, 0.5)]
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "ppo.json")
    with open(path + ".tmp", "w") as f:
        json.dump(plain({"torch": torch.__version__, "gae": gae_cases, "loss": loss_cases}), f)
    os.replace(path + ".tmp", path)
    for c in loss_cases:
        print("loss", c["loss"], "clipfrac", c["clipfrac"])


if __name__ == "__main__":
    main()
