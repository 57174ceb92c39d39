#!/usr/bin/env python3
"""Instruction-tuning oracle: the chat template's tokens, the response-only loss and its gradients.

    /usr/bin/python3 tools/reference/instruct_reference.py --out core/src/test/resources/fixtures

Imports gpt_reference.py's float64 GPT (the equations the Java model is checked against) and
writes <out>/instruct/masked-loss/:
  config.json, model.safetensors   a tiny GPT over a character vocabulary (CHARS, ids in code-point
                                   order as gpt4j's CharTokenizer) plus the template's 4 added tokens
  batch.json                       the conversations (messages), each one's rendered tokens and
                                   targets, the prompt of the second one's context, and the padded
                                   [B, T] tokens / targets the Java side must build (pad = <|end|>)
  reference.safetensors            loss (mean cross-entropy over every assistant token of the batch),
                                   loss_each / counted_each (each conversation alone), grad.<param>

The template, written here from its documentation and not from the Java code: each message is
<|role|> "\\n" strip(content) <|end|>; the generation prompt is <|assistant|> "\\n"; a position's
target is the next token when that token is an assistant message's content or its <|end|>, else -1.
strip is Python's str.strip() (Jinja's trim). Self-checks: autograd vs finite differences, float32
run vs float64, and the batch loss equal to the token-weighted mean of the conversations alone.
"""
import argparse, json, os, sys
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_reference import GPT, init_params, hf_config, save_safetensors, write_atomic  # noqa: E402

torch.set_num_threads(2)

CHARS = "\n !'+.:?0123456789abcdefghijklmnopqrstuvwxyzABRW"
ADDED = ["<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
CONVERSATIONS = [
    [{"role": "user", "content": "  What is 2+3?  "}, {"role": "assistant", "content": " 5\n"}],
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Reverse 'cat'."},
     {"role": "assistant", "content": "tac"}, {"role": "user", "content": "And 'dog'?"},
     {"role": "assistant", "content": "god"}],
]


def vocab():
    base = sorted(set(CHARS))
    ids = {c: i for i, c in enumerate(base)}
    special = {t: len(base) + k for k, t in enumerate(ADDED)}
    return ids, special, len(base) + len(ADDED)


def encode(ids, text):
    return [ids[c] for c in text]


def render(ids, special, messages):
    """(tokens, targets) of a conversation, per the documented template."""
    tokens, trained = [], set()
    for m in messages:
        tokens += [special[f"<|{m['role']}|>"]] + encode(ids, "\n")
        start = len(tokens)
        tokens += encode(ids, m["content"].strip()) + [special["<|end|>"]]
        if m["role"] == "assistant":
            trained.update(range(start, len(tokens)))
    targets = [tokens[i + 1] if i + 1 in trained else -1 for i in range(len(tokens))]
    return tokens, targets


def prompt(ids, special, messages):
    tokens = []
    for m in messages:
        tokens += [special[f"<|{m['role']}|>"]] + encode(ids, "\n") + encode(ids, m["content"].strip()) + [special["<|end|>"]]
    return tokens + [special["<|assistant|>"]] + encode(ids, "\n")


def loss_and_grads(cfg, params, tokens, targets):
    for t in params.values(): t.requires_grad_(True); t.grad = None
    _, loss, _, _ = GPT(cfg, params).forward(tokens, targets)
    loss.backward()
    grads = {n: t.grad.detach().clone() for n, t in params.items()}
    for t in params.values(): t.requires_grad_(False)
    return loss.item(), grads


def main(out, seed=777):
    ids, special, V = vocab()
    cfg = {"n_layer": 2, "n_head": 2, "n_embd": 16, "n_positions": 64, "vocab_size": V, "layer_norm_epsilon": 1e-5,
           "activation_function": "gelu_new", "position_encoding": "learned", "layer_norm_placement": "pre"}
    g = torch.Generator().manual_seed(seed)
    params = init_params(cfg, g)
    rendered = [render(ids, special, c) for c in CONVERSATIONS]
    pad, T = special["<|end|>"], max(len(t) for t, _ in rendered)
    assert T <= cfg["n_positions"]
    tokens = torch.tensor([t + [pad] * (T - len(t)) for t, _ in rendered])
    targets = torch.tensor([y + [-1] * (T - len(y)) for _, y in rendered])
    loss, grads = loss_and_grads(cfg, params, tokens, targets)
    # each conversation alone: the padded batch's loss is their token-weighted mean (right padding is exact)
    each = [loss_and_grads(cfg, params, torch.tensor([t]), torch.tensor([y]))[0] for t, y in rendered]
    counted = [sum(1 for v in y if v >= 0) for _, y in rendered]
    weighted = sum(l * n for l, n in zip(each, counted)) / sum(counted)
    assert abs(weighted - loss) < 1e-12, f"padding changed the loss: {weighted} vs {loss}"
    # autograd vs central finite differences on the largest-gradient coordinate of every tensor
    h, fd = 1e-6, 0.0
    for pn, t in params.items():
        i = int(grads[pn].reshape(-1).abs().argmax()); old = t.view(-1)[i].item()
        t.view(-1)[i] = old + h; lp = GPT(cfg, params).forward(tokens, targets)[1].item()
        t.view(-1)[i] = old - h; lm = GPT(cfg, params).forward(tokens, targets)[1].item(); t.view(-1)[i] = old
        fd = max(fd, abs((lp - lm) / (2 * h) - grads[pn].reshape(-1)[i].item()) / max(1.0, grads[pn].abs().max().item()))
    assert fd < 1e-6, f"finite differences {fd}"
    loss32, g32 = loss_and_grads(cfg, {n: t.float() for n, t in params.items()}, tokens, targets)
    rel = lambda a, r: ((a.double() - r).abs().max() / r.abs().max().clamp_min(1e-30)).item()
    f32 = max(rel(g32[n], grads[n]) for n in grads)
    assert abs(loss32 - loss) / loss < 1e-5 and f32 < 1e-4, "float32 run"
    d = os.path.join(out, "instruct", "masked-loss")
    write_atomic(os.path.join(d, "config.json"), json.dumps(hf_config(cfg), indent=2) + "\n")
    save_safetensors(os.path.join(d, "model.safetensors"), params, {"format": "pt"})
    meta = {"chars": CHARS, "added_tokens": special, "conversations": CONVERSATIONS,
            "rendered": [{"tokens": t, "targets": y} for t, y in rendered],
            "prompt_of_second_context": prompt(ids, special, CONVERSATIONS[1][:-1]),
            "pad": pad, "B": len(rendered), "T": T, "tokens": tokens.tolist(), "targets": targets.tolist()}
    write_atomic(os.path.join(d, "batch.json"), json.dumps(meta) + "\n")
    t = {"loss": torch.tensor([loss]), "loss_each": torch.tensor(each), "counted_each": torch.tensor(counted, dtype=torch.float64)}
    t.update({f"grad.{n}": gr for n, gr in grads.items()})
    save_safetensors(os.path.join(d, "reference.safetensors"), t, {"format": "pt"})
    print(f"instruct/masked-loss  B {len(rendered)} T {T} V {V}  loss {loss:.5f} (ln V {torch.log(torch.tensor(float(V))):.3f})"
          f"  trained tokens {counted} | fin-diff {fd:.1e} f32 grads {f32:.1e}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="core/src/test/resources/fixtures", help="fixtures directory")
    main(ap.parse_args().out)
