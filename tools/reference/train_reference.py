#!/usr/bin/env python3
"""gpt4j's PyTorch oracle for training: 5 AdamW steps on a small GPT, computed in float64.

    /usr/bin/python3 tools/reference/train_reference.py --out core/src/test/resources/fixtures

Writes <out>/adamw-steps/: config.json + model.safetensors (the initial float32 weights),
batches.json (every step's micro-batches), training.json (hyper-parameters and, per step, the
learning rate, the mean loss and the gradient norm before clipping) and final.safetensors (the
weights after the last step). The model is gpt_reference.GPT; the optimiser is torch.optim.AdamW
with weight decay on tensors of rank >= 2 only (nanoGPT's configure_optimizers), gradients are
accumulated over micro-batches (each loss scaled by 1/micro), clipped with clip_grad_norm_, and the
learning rate follows nanoGPT's get_lr (linear warmup, cosine to min_lr).
AdamW's eps is 1e-6 here, not torch's default 1e-8: the key third of c_attn.bias has a gradient of
exactly zero (softmax ignores a constant added to a whole row of scores), so in float32 its gradient
is pure round-off, which AdamW with eps 1e-8 turns into steps of ~lr/10 in any float32
implementation (torch's own float32 run ends 6e-4 from float64). eps 1e-6 keeps the fixture about
the algorithm rather than the round-off.
Self-check (asserted): a float32 run of the same steps ends within 1e-5 of the float64 weights, so
the fixture is not sensitive to round-off, and the weights moved far more than the tolerance.
"""
import argparse, json, math, os
import torch
from gpt_reference import GPT, init_params, hf_config, save_safetensors, write_atomic, F64

torch.set_num_threads(2)

CFG = {"n_layer": 2, "n_head": 2, "n_embd": 16, "n_positions": 16, "vocab_size": 48, "layer_norm_epsilon": 1e-5,
       "activation_function": "gelu_new", "position_encoding": "learned", "layer_norm_placement": "pre"}
HP = {"steps": 5, "micro_batches": 2, "batch": 2, "context": 8, "lr": 3e-3, "min_lr": 3e-4, "warmup": 2,
      "weight_decay": 0.1, "beta1": 0.9, "beta2": 0.99, "eps": 1e-6, "clip": 1.0}


def get_lr(it, hp):
    """nanoGPT's schedule; lr_decay_iters = the number of steps."""
    if it < hp["warmup"]: return hp["lr"] * (it + 1) / (hp["warmup"] + 1)
    if it > hp["steps"]: return hp["min_lr"]
    ratio = (it - hp["warmup"]) / (hp["steps"] - hp["warmup"])
    return hp["min_lr"] + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (hp["lr"] - hp["min_lr"])


def train(params, batches, dtype):
    p = {n: t.to(dtype).clone().requires_grad_(True) for n, t in params.items()}
    decay = [t for t in p.values() if t.dim() >= 2]; no_decay = [t for t in p.values() if t.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": HP["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=HP["lr"], betas=(HP["beta1"], HP["beta2"]), eps=HP["eps"], foreach=False)
    model, lrs, losses, norms = GPT(CFG, p), [], [], []
    for it, micro in enumerate(batches):
        lr = get_lr(it, HP)
        for g in opt.param_groups: g["lr"] = lr
        opt.zero_grad(set_to_none=True); total = 0.0
        for tokens, targets in micro:
            loss = model.forward(tokens, targets)[1]
            (loss / len(micro)).backward(); total += loss.item()
        norm = torch.nn.utils.clip_grad_norm_(list(p.values()), HP["clip"]).item()
        opt.step()
        lrs.append(lr); losses.append(total / len(micro)); norms.append(norm)
    return {n: t.detach().double() for n, t in p.items()}, lrs, losses, norms


def main(out):
    g = torch.Generator().manual_seed(4242)
    params = init_params(CFG, g)
    B, T, V = HP["batch"], HP["context"], CFG["vocab_size"]
    batches = []
    for _ in range(HP["steps"]):
        micro = []
        for _ in range(HP["micro_batches"]):
            seq = torch.randint(V, (B, T + 1), generator=g)
            micro.append((seq[:, :-1].clone(), seq[:, 1:].clone()))
        batches.append(micro)
    final, lrs, losses, norms = train(params, batches, F64)
    final32, _, losses32, _ = train(params, batches, torch.float32)
    f32_err = max((final32[n] - final[n]).abs().max().item() for n in final)
    moved = max((final[n] - params[n]).abs().max().item() for n in final)
    assert f32_err < 1e-5, f"float32 run ends {f32_err} from float64: the fixture is too sensitive"
    assert moved > 1e-3, f"weights moved only {moved}"
    assert min(norms) > HP["clip"], f"clipping should be active at every step: {norms}"
    d = os.path.join(out, "adamw-steps")
    write_atomic(os.path.join(d, "config.json"), json.dumps(hf_config(CFG), indent=2) + "\n")
    save_safetensors(os.path.join(d, "model.safetensors"), params, {"format": "pt"})
    save_safetensors(os.path.join(d, "final.safetensors"), final, {"format": "pt"})
    write_atomic(os.path.join(d, "batches.json"), json.dumps(
        [[{"tokens": t.tolist(), "targets": y.tolist()} for t, y in micro] for micro in batches]) + "\n")
    write_atomic(os.path.join(d, "training.json"), json.dumps(
        {"hyper_parameters": HP, "lr": lrs, "loss": losses, "grad_norm": norms}, indent=2) + "\n")
    print(f"adamw-steps  losses {' '.join(f'{l:.5f}' for l in losses)}  grad norms {' '.join(f'{n:.3f}' for n in norms)}"
          f"  | weights moved up to {moved:.2e}, float32 run within {f32_err:.1e}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="core/src/test/resources/fixtures", help="fixtures directory")
    main(ap.parse_args().out)
