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
    /usr/bin/python3 bench/side_by_side.py --isa avx2       # both sides on AVX2 on an AVX-512 machine

Ratios above 1 mean gpt4j is faster (for prefill_ms: PyTorch's time over gpt4j's).

The header names the machine (CPU model, the ISA and vector width gpt4j runs with, its measured FP32
peak and triad bandwidth from `gpt4j bench peak`, OpenBLAS's kernel set) and every row the ISA of
both sides, since a ratio means little without them. --isa pins both sides to an instruction set:
  native  each side picks its own: gpt4j the widest vectors the JVM offers, OpenBLAS the kernels it
          detects. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the environment first:
          some machines preset them (to Haswell), which would pin PyTorch to AVX2 while gpt4j uses
          AVX-512. The script checks one product against float64 before trusting the detected kernels.
  avx2    gpt4j with -XX:UseAVX=2 (256-bit vectors, 16 registers), OpenBLAS with
          OPENBLAS_CORETYPE=Haswell (its AVX2 kernels): the comparison on a machine without AVX-512.
  vec128  gpt4j with -XX:MaxVectorSize=16 (128-bit vectors, as NEON has); PyTorch as in native
          (OpenBLAS has no x86 kernel set of that width worth comparing), so read these ratios as
          gpt4j's cost of narrow vectors, not as an ARM comparison.
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

# --isa: (JVM flags for gpt4j, OPENBLAS_CORETYPE for PyTorch or None for OpenBLAS's own choice)
ISAS = {
    "native": ("", None),
    "avx2": ("-XX:UseAVX=2", "Haswell"),
    "vec128": ("-XX:MaxVectorSize=16", None),
}

# name: (kind, layers, heads, embd, vocab, context, batch-or-prompt, steps-or-new[, gpt4j weights])
CASES = {
    "gpt2-train": ("train", 12, 12, 768, 50257, 64, 4, 5),
    "shakespeare-train": ("train", 6, 6, 384, 65, 256, 12, 10),
    "tiny-train": ("train", 4, 4, 128, 65, 128, 32, 20),
    "gpt2-decode": ("decode", 12, 12, 768, 50257, 1024, 128, 64),
    "gpt2-decode-bf16": ("decode", 12, 12, 768, 50257, 1024, 128, 64, "bf16"),
    "gpt2-decode-int8": ("decode", 12, 12, 768, 50257, 1024, 128, 64, "int8"),
    "shakespeare-decode": ("decode", 6, 6, 384, 65, 256, 128, 100),
    # BERT pre-training (MLM on 15% of the positions + NSP), the README's BERT shape: L4 H4 C256, WordPiece 30,522
    "bert-train": ("bert-train", 4, 4, 256, 30522, 128, 8, 10),
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

    seconds = timed(step, warmup, steps)
    tps = batch * context * steps / seconds
    return {"tokens_per_second": tps, "ms_per_step": 1000 * seconds / steps,
            "mfu": tps * flops_per_token(layers, embd, vocab, context) / PEAK_FLOPS}


def timed(step, warmup, steps):
    """Seconds that `steps` calls of step() take, after `warmup` untimed ones."""
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return time.perf_counter() - start


def torch_bert_train(torch, layers, heads, embd, vocab, context, batch, steps, warmup=2):
    """BertForPreTraining's step as gpt4j's BertTrainingBenchmark takes it: post-LN blocks with exact GELU,
    token + position + segment embeddings, the MLM head (transform, tied decoder + bias) only at the 15%
    labelled positions (gathered first, as NVIDIA's BERT does), the pooler and NSP head, clipping at 1.0,
    AdamW (betas 0.9/0.999, weight decay 0.01). Random weights, tokens, masks and next-sentence labels."""
    nn = torch.nn
    F = torch.nn.functional
    torch.manual_seed(1337)
    inter = 4 * embd

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = nn.Linear(embd, 3 * embd)
            self.out = nn.Linear(embd, embd)
            self.ln1 = nn.LayerNorm(embd, eps=1e-12)
            self.up = nn.Linear(embd, inter)
            self.down = nn.Linear(inter, embd)
            self.ln2 = nn.LayerNorm(embd, eps=1e-12)

        def forward(self, x):
            b, t, c = x.shape
            hs = c // heads
            q, k, v = (z.view(b, t, heads, hs).transpose(1, 2) for z in self.qkv(x).split(c, dim=2))
            att = ((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))).softmax(dim=-1)
            x = self.ln1(x + self.out((att @ v).transpose(1, 2).contiguous().view(b, t, c)))
            return self.ln2(x + self.down(F.gelu(self.up(x))))

    class Bert(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding(vocab, embd)
            self.pos = nn.Embedding(context, embd)
            self.segment = nn.Embedding(2, embd)
            self.ln = nn.LayerNorm(embd, eps=1e-12)
            self.layers = nn.ModuleList([Layer() for _ in range(layers)])
            self.pool = nn.Linear(embd, embd)
            self.nsp = nn.Linear(embd, 2)
            self.transform = nn.Linear(embd, embd)
            self.mlm_ln = nn.LayerNorm(embd, eps=1e-12)
            self.mlm_bias = nn.Parameter(torch.zeros(vocab))

        def forward(self, idx, types, positions, mlm_targets, nsp_targets):
            t = idx.shape[1]
            x = self.ln(self.word(idx) + self.pos(torch.arange(t)) + self.segment(types))
            for layer in self.layers:
                x = layer(x)
            h = x.reshape(-1, embd)[positions]
            logits = F.linear(self.mlm_ln(F.gelu(self.transform(h))), self.word.weight, self.mlm_bias)
            nsp = self.nsp(torch.tanh(self.pool(x[:, 0])))
            return F.cross_entropy(logits, mlm_targets) + F.cross_entropy(nsp, nsp_targets)

    model = Bert()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    idx = torch.randint(vocab, (batch, context))
    types = (torch.arange(context) >= context // 2).long().expand(batch, context)
    positions = torch.nonzero(torch.rand(batch * context) < 0.15).squeeze(1)
    mlm_targets = torch.randint(vocab, (positions.numel(),))
    nsp_targets = torch.randint(2, (batch,))

    def step():
        loss = model(idx, types, positions, mlm_targets, nsp_targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=False)

    seconds = timed(step, warmup, steps)
    return {"tokens_per_second": batch * context * steps / seconds, "ms_per_step": 1000 * seconds / steps}


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


def gpt4j_run(args, jvm_flags):
    """Runs `./gpt4j ARGS --json` with the JVM flags of --isa; returns its JSON."""
    env = dict(os.environ)
    env["GPT4J_JAVA_OPTS"] = (env.get("GPT4J_JAVA_OPTS", "-Xmx12g") + " " + jvm_flags).strip()
    out = subprocess.run([os.path.join(ROOT, "gpt4j")] + args + ["--json"], check=True, capture_output=True,
                         text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def gpt4j(machine, jvm_flags, kind, layers, heads, embd, vocab, context, a, b, weights="f32"):
    arch = ["--arch", "bert"] if kind == "bert-train" else []
    kind = "train" if kind == "bert-train" else kind
    cmd = ["bench", kind, "--layers", str(layers), "--heads", str(heads),
           "--embd", str(embd), "--vocab", str(vocab), "--context", str(context)] + arch
    # The peak and bandwidth measured once at the start (same ISA) stand for every case.
    if kind == "train":
        cmd += ["--batch", str(a), "--steps", str(b), "--peak-flops", repr(machine["peak_flops"])]
    else:
        cmd += ["--prompt", str(a), "--new", str(b), "--weights", weights,
                "--bandwidth", repr(machine["bandwidth_bytes_per_second"])]
    return gpt4j_run(cmd, jvm_flags)


def cpu_model():
    """The CPU's model name from /proc/cpuinfo, and whether it has AVX-512 (avx512f)."""
    name, avx512 = "unknown CPU", False
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and name == "unknown CPU":
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    avx512 = avx512 or "avx512f" in line.split()
    except OSError:
        pass
    return name, avx512


def openblas_core():
    """The kernel set OpenBLAS runs (openblas_get_corename of the library torch loaded), or None."""
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "blas" in line.split()[-1]})
    except OSError:
        return None
    for path in paths:
        try:
            fn = ctypes.CDLL(path).openblas_get_corename
            fn.restype = ctypes.c_char_p
            return fn().decode()
        except (OSError, AttributeError):
            continue
    return None


def check_blas(torch):
    """One product against float64: a kernel set OpenBLAS picked for a CPU it does not know may be wrong."""
    a, b = torch.randn(192, 160, dtype=torch.float64), torch.randn(160, 224, dtype=torch.float64)
    err = ((a.float() @ b.float()).double() - a @ b).abs().max().item()
    if err > 1e-3:
        sys.exit(f"PyTorch's float32 matmul is wrong here (max error {err:.2e}) with OpenBLAS core "
                 f"{openblas_core()}: try --isa avx2, or set OPENBLAS_CORETYPE yourself")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", default=list(CASES), help="of: " + ", ".join(CASES))
    parser.add_argument("--json", action="store_true", help="print one JSON object per figure")
    parser.add_argument("--isa", choices=list(ISAS), default="native",
                        help="native (default): each side's own choice; avx2: gpt4j with -XX:UseAVX=2 and OpenBLAS "
                             "with OPENBLAS_CORETYPE=Haswell; vec128: gpt4j with -XX:MaxVectorSize=16, PyTorch native")
    args = parser.parse_args()
    for c in args.cases:
        if c not in CASES:
            parser.error(f"unknown case {c}; known: {', '.join(CASES)}")

    jvm_flags, coretype = ISAS[args.isa]
    # OpenBLAS reads these once, when torch loads it: set them before the import.
    preset = {k: os.environ.pop(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    if preset:
        print("# removed the preset " + ", ".join(f"{k}={v}" for k, v in preset.items()) + " from the environment",
              file=sys.stderr)
    if coretype:
        os.environ["OPENBLAS_CORETYPE"] = coretype
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
    blas_core = openblas_core()
    check_blas(torch)
    print(f"# load average {os.getloadavg()[0]:.2f}; torch {torch.__version__}, {THREADS} threads, "
          f"OpenBLAS core {blas_core}" + ("" if "BLAS_INFO=generic" in blas else f"; BLAS: {blas}"), file=sys.stderr)
    machine = gpt4j_run(["bench", "peak"], jvm_flags)
    cpu, avx512 = cpu_model()
    print(f"# machine: {cpu}, {machine['cores']} cores, {'with' if avx512 else 'without'} avx512f; --isa {args.isa}: "
          f"gpt4j {machine['isa']}, {machine['vector_bits']}-bit vectors"
          + (f" ({jvm_flags})" if jvm_flags else "")
          + f", peak {machine['peak_flops'] / 1e9:.1f} GFLOP/s (one core alone "
          f"{machine['one_core_peak_flops'] / 1e9:.1f}), triad {machine['bandwidth_bytes_per_second'] / 1e9:.1f} GB/s"
          f" (reading only {machine.get('read_bandwidth_bytes_per_second', float('nan')) / 1e9:.1f});"
          f" PyTorch OpenBLAS {blas_core}", file=sys.stderr)

    rows = []
    for name in args.cases:
        kind, layers, heads, embd, vocab, context, a, b, *weights = CASES[name]
        # Training sequences fill the context; decoding uses a cache of prompt + new positions.
        if kind == "train":
            theirs = torch_train(torch, layers, heads, embd, vocab, context, a, b)
        elif kind == "bert-train":
            theirs = torch_bert_train(torch, layers, heads, embd, vocab, context, a, b)
        else:
            theirs = torch_decode(torch, layers, heads, embd, vocab, context, a, b)
        ours = gpt4j(machine, jvm_flags, kind, layers, heads, embd, vocab, context, a, b, *weights)
        isa = f"{ours['isa']}/{ours['vector_bits']}"
        # The figures both sides measure; gpt4j's own efficiency figures (mfu, bandwidth) are not ratios.
        for key in [k for k in ours if k in theirs and k != "mfu"]:
            lower_is_better = key.endswith("_ms") or key.startswith("ms_")
            ratio = theirs[key] / ours[key] if lower_is_better else ours[key] / theirs[key]
            rows.append({"case": name, "figure": key, "gpt4j": ours[key], "pytorch": theirs[key], "ratio": ratio,
                         "isa": ours["isa"], "vector_bits": ours["vector_bits"], "openblas_core": blas_core})
            if args.json:
                print(json.dumps(rows[-1]), flush=True)
            else:
                print(f"{name:20s} {key:26s} gpt4j {ours[key]:10.1f}  pytorch {theirs[key]:10.1f}  ratio {ratio:5.2f}x"
                      f"  isa {isa} vs {blas_core}", flush=True)
    print(f"# load average {os.getloadavg()[0]:.2f} at the end", file=sys.stderr)


if __name__ == "__main__":
    main()
