#!/usr/bin/python3
"""gpt4j beside PyTorch on the same shapes, in one run, on this machine: prints each figure and the ratio.

For every case the PyTorch reference (Debian's python3-torch with OpenBLAS, 2 threads) runs first,
then `./gpt4j bench ... --json`, one after the other (never at the same time). Training is the same
step in both: forward with loss, backward, AdamW (betas 0.9/0.95, weight decay 0.1 on matrices),
zero the gradients; random weights (GPT-2 init) and random tokens. Decoding is greedy at batch 1
with a KV cache: the prefill of a random prompt, then one token per forward. The -bf16 and -int8
decode cases run gpt4j with `--weights bf16|int8` beside PyTorch's float32 (the speed-up a user gets
by switching; PyTorch 1.13 has no fast CPU path for either).

    /usr/bin/python3 bench/side_by_side.py                  # every case
    /usr/bin/python3 bench/side_by_side.py gpt2-train tiny-train
    /usr/bin/python3 bench/side_by_side.py --json           # machine-readable rows

Ratios above 1 mean gpt4j is faster (for prefill_ms: PyTorch's time over gpt4j's).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREADS = 2
PEAK_FLOPS = 233e9

# name: (kind, layers, heads, embd, vocab, context, batch-or-prompt, steps-or-new[, gpt4j weights])
CASES = {
    "gpt2-train": ("train", 12, 12, 768, 50257, 64, 4, 5),
    "shakespeare-train": ("train", 6, 6, 384, 65, 256, 12, 10),
    "tiny-train": ("train", 4, 4, 128, 65, 128, 32, 20),
    "gpt2-decode": ("decode", 12, 12, 768, 50257, 1024, 128, 64),
    "gpt2-decode-bf16": ("decode", 12, 12, 768, 50257, 1024, 128, 64, "bf16"),
    "gpt2-decode-int8": ("decode", 12, 12, 768, 50257, 1024, 128, 64, "int8"),
    "shakespeare-decode": ("decode", 6, 6, 384, 65, 256, 128, 100),
}


def torch_model(torch, layers, heads, embd, vocab, context):
    nn = torch.nn
    F = torch.nn.functional

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1 = nn.LayerNorm(embd)
            self.c_attn = nn.Linear(embd, 3 * embd)
            self.c_proj = nn.Linear(embd, embd)
            self.ln_2 = nn.LayerNorm(embd)
            self.c_fc = nn.Linear(embd, 4 * embd)
            self.mlp_proj = nn.Linear(4 * embd, embd)

        def attend(self, x, cache):
            b, t, c = x.shape
            hs = c // heads
            q, k, v = self.c_attn(x).split(c, dim=2)
            q = q.view(b, t, heads, hs).transpose(1, 2)
            k = k.view(b, t, heads, hs).transpose(1, 2)
            v = v.view(b, t, heads, hs).transpose(1, 2)
            past = 0
            if cache is not None:
                keys, values, past = cache
                keys[:, :, past:past + t] = k
                values[:, :, past:past + t] = v
                k = keys[:, :, :past + t]
                v = values[:, :, :past + t]
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
            mask = torch.ones(t, past + t, dtype=torch.bool).tril(diagonal=past)
            att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
            y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
            return self.c_proj(y)

        def forward(self, x, cache=None):
            x = x + self.attend(self.ln_1(x), cache)
            return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))

    class Gpt(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte = nn.Embedding(vocab, embd)
            self.wpe = nn.Embedding(context, embd)
            self.h = nn.ModuleList([Block() for _ in range(layers)])
            self.ln_f = nn.LayerNorm(embd)
            for name, p in self.named_parameters():
                if p.dim() >= 2:
                    std = 0.02 / math.sqrt(2 * layers) if name.endswith("c_proj.weight") or "mlp_proj" in name else 0.02
                    nn.init.normal_(p, std=std)
                elif "ln" not in name:
                    nn.init.zeros_(p)

        def forward(self, idx, past=0, caches=None):
            t = idx.shape[1]
            x = self.wte(idx) + self.wpe(torch.arange(past, past + t))
            for i, block in enumerate(self.h):
                x = block(x, None if caches is None else (caches[i][0], caches[i][1], past))
            return F.linear(self.ln_f(x), self.wte.weight)

    return Gpt()


def torch_train(torch, layers, heads, embd, vocab, context, batch, steps, warmup=2):
    torch.manual_seed(1337)
    model = torch_model(torch, layers, heads, embd, vocab, context)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=3e-4, betas=(0.9, 0.95), eps=1e-8)
    x = torch.randint(vocab, (batch, context))
    y = torch.randint(vocab, (batch, context))

    def step():
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits.view(-1, vocab), y.view(-1))
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=False)

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    tps = batch * context * steps / seconds
    return {"tokens_per_second": tps, "ms_per_step": 1000 * seconds / steps,
            "mfu": tps * flops_per_token(layers, embd, vocab, context) / PEAK_FLOPS}


def flops_per_token(layers, embd, vocab, context):
    """As org.gpt4j.perf.TrainingBenchmark.flopsPerToken: 6 N (no positions) + 12 L C T."""
    n = vocab * embd + layers * (12 * embd * embd + 13 * embd) + 2 * embd
    return 6.0 * n + 12.0 * layers * embd * context


def torch_decode(torch, layers, heads, embd, vocab, context, prompt, new, repeats=3):
    torch.manual_seed(1337)
    model = torch_model(torch, layers, heads, embd, vocab, context).eval()
    tokens = torch.randint(vocab, (1, prompt))
    hs = embd // heads
    caches = [(torch.zeros(1, heads, prompt + new, hs), torch.zeros(1, heads, prompt + new, hs))
              for _ in range(layers)]
    prefill, rates = [], []
    with torch.no_grad():
        for rep in range(repeats + 1):
            t0 = time.perf_counter()
            nxt = model(tokens, 0, caches)[:, -1].argmax(-1, keepdim=True)
            t1 = time.perf_counter()
            for i in range(new):
                nxt = model(nxt, prompt + i, caches)[:, -1].argmax(-1, keepdim=True)
            t2 = time.perf_counter()
            if rep > 0:
                prefill.append(1000 * (t1 - t0))
                rates.append(new / (t2 - t1))
    return {"prefill_ms": median(prefill), "decode_tokens_per_second": median(rates)}


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def gpt4j(kind, layers, heads, embd, vocab, context, a, b, weights="f32"):
    cmd = [os.path.join(ROOT, "gpt4j"), "bench", kind, "--layers", str(layers), "--heads", str(heads),
           "--embd", str(embd), "--vocab", str(vocab), "--context", str(context), "--json"]
    if kind == "train":
        cmd += ["--batch", str(a), "--steps", str(b)]
    else:
        cmd += ["--prompt", str(a), "--new", str(b), "--weights", weights]
    env = dict(os.environ)
    env.setdefault("GPT4J_JAVA_OPTS", "-Xmx12g")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", default=list(CASES), help="of: " + ", ".join(CASES))
    parser.add_argument("--json", action="store_true", help="print one JSON object per figure")
    args = parser.parse_args()
    for c in args.cases:
        if c not in CASES:
            parser.error(f"unknown case {c}; known: {', '.join(CASES)}")

    import torch
    torch.set_num_threads(THREADS)
    blas = torch.__config__.show()
    try:
        from threadpoolctl import threadpool_info
        libs = {i["internal_api"] for i in threadpool_info()}
        if "openblas" not in libs:
            print(f"warning: OpenBLAS not loaded ({libs}); install libopenblas0-openmp", file=sys.stderr)
    except ImportError:
        pass
    print(f"# load average {os.getloadavg()[0]:.2f}; torch {torch.__version__}, {THREADS} threads"
          + ("" if "BLAS_INFO=generic" in blas else f"; BLAS: {blas}"), file=sys.stderr)

    rows = []
    for name in args.cases:
        kind, layers, heads, embd, vocab, context, a, b, *weights = CASES[name]
        # Training sequences fill the context; decoding uses a cache of prompt + new positions.
        if kind == "train":
            theirs = torch_train(torch, layers, heads, embd, vocab, context, a, b)
        else:
            theirs = torch_decode(torch, layers, heads, embd, vocab, context, a, b)
        ours = gpt4j(kind, layers, heads, embd, vocab, context, a, b, *weights)
        for key in ours:
            if key == "mfu":
                continue
            lower_is_better = key.endswith("_ms") or key.startswith("ms_")
            ratio = theirs[key] / ours[key] if lower_is_better else ours[key] / theirs[key]
            rows.append({"case": name, "figure": key, "gpt4j": ours[key], "pytorch": theirs[key], "ratio": ratio})
            if args.json:
                print(json.dumps(rows[-1]), flush=True)
            else:
                print(f"{name:20s} {key:26s} gpt4j {ours[key]:10.1f}  pytorch {theirs[key]:10.1f}  ratio {ratio:5.2f}x",
                      flush=True)
    print(f"# load average {os.getloadavg()[0]:.2f} at the end", file=sys.stderr)


if __name__ == "__main__":
    main()
