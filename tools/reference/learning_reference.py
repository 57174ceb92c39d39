#!/usr/bin/env python3
"""The learning figure's PyTorch side: train the same char-level GPT on Tiny Shakespeare with the
same recipe as `gpt4j train`, in float32 on this machine, and print the figures to compare.

    /usr/bin/python3 tools/reference/learning_reference.py --data data/tinyshakespeare/input.txt

Recipe (nanoGPT's, and the issue's): 4 layers, 4 heads, 128 wide, context 128, batch 32, 600 steps,
AdamW betas (0.9, 0.99), weight decay 0.1 on tensors of rank >= 2, lr 1e-3 -> 1e-4 cosine with 50
warmup steps (nanoGPT's get_lr), global-norm clip 1.0, no dropout, GPT-2 initialisation, biases on
(as gpt4j; nanoGPT's train.py defaults to bias=False). The first 90% of the characters train, the
last 10% validate; the validation loss is the mean over the whole split in consecutive windows of
the context (as gpt4j's evaluation). The model is gpt_reference.GPT with torch's built-in kernels.
Nothing here is a test: the figures go into the issue note beside gpt4j's.
"""
import argparse, json, math, time
import torch
from gpt_reference import GPT, param_shapes

torch.set_num_threads(2)


def get_lr(it, a):
    if it < a.warmup: return a.lr * (it + 1) / (a.warmup + 1)
    ratio = (it - a.warmup) / (a.steps - a.warmup)
    return a.min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (a.lr - a.min_lr)


def init(cfg, g):
    """GPT-2's: N(0, 0.02), residual projections N(0, 0.02 / sqrt(2 n_layer)), biases 0, LN gains 1."""
    p = {}
    for name, shape in param_shapes(cfg).items():
        if "ln_" in name: t = torch.ones(shape) if name.endswith(".weight") else torch.zeros(shape)
        elif name.endswith(".bias"): t = torch.zeros(shape)
        else:
            std = 0.02 / math.sqrt(2 * cfg["n_layer"]) if name.endswith("c_proj.weight") else 0.02
            t = torch.randn(shape, generator=g) * std
        p[name] = t.requires_grad_(True)
    return p


@torch.no_grad()
def mean_loss(model, ids, T, B):
    starts = list(range(0, len(ids) - 1, T)); total, count = 0.0, 0
    for i in range(0, len(starts), B):
        rows = [ids[s:min(s + T + 1, len(ids))] for s in starts[i:i + B]]
        for r in rows:                                   # the last window may be short
            x, y = r[:-1][None], r[1:][None]
            loss = model.forward(x, y, builtin=True)[1]
            total += loss.item() * y.numel(); count += y.numel()
    return total / count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    for k, v in dict(layers=4, heads=4, embd=128, context=128, batch=32, steps=600, warmup=50, seed=1).items():
        ap.add_argument("--" + k, type=int, default=v)
    for k, v in dict(lr=1e-3, min_lr=1e-4, weight_decay=0.1, clip=1.0).items():
        ap.add_argument("--" + k.replace("_", "-"), dest=k, type=float, default=v)
    a = ap.parse_args()
    text = open(a.data, encoding="utf-8").read()
    chars = sorted(set(text)); stoi = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(ids)); train, val = ids[:n], ids[n:]
    cfg = {"n_layer": a.layers, "n_head": a.heads, "n_embd": a.embd, "n_positions": a.context,
           "vocab_size": len(chars), "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
           "position_encoding": "learned", "layer_norm_placement": "pre"}
    g = torch.Generator().manual_seed(a.seed)
    p = init(cfg, g); model = GPT(cfg, p)
    decay = [t for t in p.values() if t.dim() >= 2]; no_decay = [t for t in p.values() if t.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=a.lr, betas=(0.9, 0.99))
    start = time.time()
    for it in range(a.steps):
        for group in opt.param_groups: group["lr"] = get_lr(it, a)
        ix = torch.randint(len(train) - a.context - 1, (a.batch,), generator=g)
        x = torch.stack([train[i:i + a.context] for i in ix]); y = torch.stack([train[i + 1:i + 1 + a.context] for i in ix])
        loss = model.forward(x, y, builtin=True)[1]
        opt.zero_grad(set_to_none=True); loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), a.clip); opt.step()
        if it % 100 == 0: print(f"step {it} loss {loss.item():.4f}", flush=True)
    train_seconds = time.time() - start
    val_loss = mean_loss(model, val, a.context, a.batch)
    print(json.dumps({"val_loss": val_loss, "train_seconds": train_seconds,
                      "tokens_per_second": a.steps * a.batch * a.context / train_seconds,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
