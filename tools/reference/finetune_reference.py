#!/usr/bin/env python3
"""GPT-1 fine-tuning oracle: the task head on the extract positions, L2, L1, L3 and every gradient.

    /usr/bin/python3 tools/reference/finetune_reference.py --out core/src/test/resources/fixtures

Imports gpt_reference.py's float64 GPT (the same equations the Java model is checked against) and,
for one small padded batch of each task format, writes <out>/finetune/<name>/:
  config.json, model.safetensors   the GPT (its vocabulary already holds the 4 added tokens)
  batch.json                       sequences (unpadded, an example's `group` sequences consecutive),
                                   group, labels (one per example), special ids, lm_weight, and the
                                   padded tokens / targets / extract positions the Java side must build
  reference.safetensors            score.weight (the head's input), task_logits [E,K], loss_task (L2),
                                   loss_lm (L1), loss (L3), grad.<param> and grad.score.weight,
                                   grad_task_only.<param> (the same with lambda 0: L2 alone)
h = h_final[b, extract_b] (after ln_f), one row per sequence. Head (GPT-1, Figure 1):
  classification, entailment (group 1): logits = h @ score.weight^T           score.weight [L, C]
  similarity (group 2: a$b and b$a):    logits = (h[2e] + h[2e+1]) @ score.weight^T
  multiple-choice (group N options):    logits[e, k] = h[e*N + k] @ score.weight^T   score.weight [1, C]
L2 = mean CE over the examples (multiple choice: a softmax over each example's N option scores);
L1 = mean CE of next-token prediction over every real position that has a next real token, in
every sequence; L3 = L2 + lm_weight * L1. Self-checks: autograd vs finite differences, float32
run vs float64.
"""
import argparse, json, os, sys
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_reference import GPT, init_params, hf_config, save_safetensors, write_atomic, F64  # noqa: E402

torch.set_num_threads(2)

# name, V0 (base vocab; +4 special), C, layers, heads, n_positions, activation, positions, LN,
# labels (multiple choice: options per example), input kind
CASES = [
    ("classification", 40, 16, 2, 2, 16, "gelu_new", "learned", "pre", 3, "text"),
    ("entailment", 40, 16, 2, 2, 16, "gelu_new", "learned", "pre", 2, "pair"),
    ("similarity", 40, 16, 2, 2, 16, "gelu_new", "learned", "pre", 2, "similarity"),
    ("multiple-choice", 40, 16, 2, 2, 16, "gelu_new", "learned", "pre", 3, "choice"),
]
LM_WEIGHT = 0.5


def sequences(V0, kind, g):
    """The examples, each a list of its sequences (GPT-1's input transformations)."""
    start, delim, extract = V0, V0 + 1, V0 + 2
    ids = lambda n: torch.randint(V0, (n,), generator=g).tolist()
    joined = lambda a, b: [start] + a + [delim] + b + [extract]
    if kind == "text":
        return [[[start] + ids(a) + [extract]] for a in (6, 3, 9)]
    if kind == "pair":
        return [[joined(ids(a), ids(b))] for a, b in [(5, 3), (2, 2), (7, 4)]]
    if kind == "similarity":                                         # both orders
        out = []
        for a, b in [(4, 3), (2, 5), (6, 1)]:
            x, y = ids(a), ids(b)
            out.append([joined(x, y), joined(y, x)])
        return out
    out = []                                                         # a context and its options
    for ctx, opts in [(4, (2, 3, 1)), (2, (5, 1, 2))]:
        c = ids(ctx)
        out.append([joined(c, ids(n)) for n in opts])
    return out


def pad(seqs, pad_id):
    T = max(len(s) for s in seqs)
    tokens = [s + [pad_id] * (T - len(s)) for s in seqs]
    targets = [s[1:] + [-1] * (T - len(s) + 1) for s in seqs]
    extract = [len(s) - 1 for s in seqs]
    return torch.tensor(tokens), torch.tensor(targets), torch.tensor(extract)


def losses(model, score, tokens, targets, extract, labels, kind, group, lm_weight=LM_WEIGHT):
    logits, lm, hidden, _ = model.forward(tokens, targets)
    h = hidden[-1][torch.arange(tokens.shape[0]), extract]              # final hidden state (after ln_f)
    if kind == "similarity":
        h = h.view(-1, group, h.shape[-1]).sum(1)                      # h(a$b) + h(b$a)
    task_logits = h @ score.T
    if kind == "choice":
        task_logits = task_logits.view(-1, group)                        # [E*N, 1] -> [E, N]
    task = F.cross_entropy(task_logits, labels)
    return task_logits, task, lm, task + lm_weight * lm


def run(cfg, params, score, batch, lm_weight=LM_WEIGHT):
    leaves = list(params.values()) + [score]
    for t in leaves: t.requires_grad_(True); t.grad = None
    tl, task, lm, total = losses(GPT(cfg, params), score, *batch, lm_weight=lm_weight)
    total.backward()
    grads = {n: t.grad.detach().clone() for n, t in params.items()}
    grads["score.weight"] = score.grad.detach().clone()
    for t in leaves: t.requires_grad_(False)
    return tl.detach(), task.item(), lm.item(), total.item(), grads


def write_case(out, spec, seed):
    name, V0, C, L, NH, NP, act, pos, ln, NL, kind = spec
    V = V0 + 4
    cfg = {"n_layer": L, "n_head": NH, "n_embd": C, "n_positions": NP, "vocab_size": V, "layer_norm_epsilon": 1e-5,
           "activation_function": act, "position_encoding": pos, "layer_norm_placement": ln}
    g = torch.Generator().manual_seed(seed)
    params = init_params(cfg, g)
    rows = 1 if kind == "choice" else NL
    score = (0.25 * torch.randn(rows, C, generator=g, dtype=F64)).float().double()
    examples = sequences(V0, kind, g)
    group = len(examples[0])
    seqs = [s for ex in examples for s in ex]
    labels = torch.tensor([(i + (2 if kind == "choice" else 0)) % NL for i in range(len(examples))])
    tokens, targets, extract = pad(seqs, V0 + 3)
    batch = (tokens, targets, extract, labels, kind, group)
    tl, task, lm, total, grads = run(cfg, params, score, batch)
    # autograd vs central finite differences on the largest-gradient coordinate of every tensor
    h, fd = 1e-6, 0.0
    allp = dict(params, **{"score.weight": score})
    for pn, t in allp.items():
        i = int(grads[pn].reshape(-1).abs().argmax()); old = t.view(-1)[i].item()
        t.view(-1)[i] = old + h; lp = losses(GPT(cfg, params), score, *batch)[3].item()
        t.view(-1)[i] = old - h; lmn = losses(GPT(cfg, params), score, *batch)[3].item(); t.view(-1)[i] = old
        fd = max(fd, abs((lp - lmn) / (2 * h) - grads[pn].reshape(-1)[i].item()) / max(1.0, grads[pn].abs().max().item()))
    assert fd < 1e-6, f"{name}: finite differences {fd}"
    p32 = {n: t.float() for n, t in params.items()}
    tl32, task32, _, total32, g32 = run(cfg, p32, score.float(), batch)
    rel = lambda a, r: ((a.double() - r).abs().max() / r.abs().max().clamp_min(1e-30)).item()
    f32 = max(rel(g32[n], grads[n]) for n in grads)
    assert rel(tl32, tl) < 1e-5 and abs(total32 - total) / total < 1e-5 and f32 < 1e-4, f"{name}: float32 run"
    d = os.path.join(out, "finetune", name)
    write_atomic(os.path.join(d, "config.json"), json.dumps(hf_config(cfg), indent=2) + "\n")
    save_safetensors(os.path.join(d, "model.safetensors"), params, {"format": "pt"})
    meta = {"format": name, "num_labels": NL, "lm_weight": LM_WEIGHT,
            "special": {"start": V0, "delimiter": V0 + 1, "extract": V0 + 2, "pad": V0 + 3},
            "sequences": seqs, "group": group, "labels": labels.tolist(), "B": tokens.shape[0], "T": tokens.shape[1],
            "tokens": tokens.tolist(), "targets": targets.tolist(), "extract": extract.tolist()}
    write_atomic(os.path.join(d, "batch.json"), json.dumps(meta) + "\n")
    t = {"score.weight": score, "task_logits": tl, "loss_task": torch.tensor([task]), "loss_lm": torch.tensor([lm]),
         "loss": torch.tensor([total])}
    t.update({f"grad.{n}": gr for n, gr in grads.items()})
    grads0 = run(cfg, params, score, batch, lm_weight=0.0)[4]           # lambda 0: the task loss alone
    t.update({f"grad_task_only.{n}": gr for n, gr in grads0.items()})
    save_safetensors(os.path.join(d, "reference.safetensors"), t, {"format": "pt"})
    print(f"finetune/{name:16s} L2 {task:.5f} L1 {lm:.5f} L3 {total:.5f} | fin-diff {fd:.1e} f32 grads {f32:.1e}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="core/src/test/resources/fixtures", help="fixtures directory")
    args = ap.parse_args()
    for i, spec in enumerate(CASES):
        write_case(args.out, spec, seed=4242 + i)
