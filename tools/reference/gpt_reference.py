#!/usr/bin/env python3
"""gpt4j's PyTorch oracle: a GPT-2-style model written from its equations, computed in float64.

It writes the small fixtures the Java tests compare against (CI never runs Python):

    /usr/bin/python3 tools/reference/gpt_reference.py --out core/src/test/resources/fixtures

For each synthetic config: <out>/<name>/{config.json, model.safetensors, batch.json,
reference.safetensors (logits, loss, grad.<param>, attentions.<l>, hidden_states.<i>)}; for each
real Hugging Face checkpoint under --hf-dir: <out>/hf-reference/<folder>.{safetensors,json}.
Weights are random (seeded torch.Generator) and rounded to float32 *before* the float64 run, so the
reference is exactly the model that is stored. Self-checks (asserted): equations vs torch.nn.functional
built-ins, autograd vs central finite differences, and a float32 run vs the float64 truth.
See tools/reference/README.md.
"""
import argparse, json, math, os, struct
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
F64 = torch.float64

# ----------------------------------------------------------------------------- safetensors I/O
ST_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16}


def save_safetensors(path, tensors, metadata=None):
    header, blobs, off = ({"__metadata__": metadata} if metadata else {}), [], 0
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().to(torch.float32).cpu().numpy(), dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        blobs.append(a.tobytes()); off += a.nbytes
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)                           # pad so the data starts 8-byte aligned
    write_atomic(path, struct.pack("<Q", len(h)) + h + b"".join(blobs))


def load_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8]); header = json.loads(raw[8:8 + n]); out = {}
    for name, e in header.items():
        if name == "__metadata__": continue
        b, end = e["data_offsets"]
        a = np.frombuffer(raw[8 + n + b:8 + n + end], dtype=np.dtype(ST_DTYPES[e["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(a.reshape(e["shape"]).astype(np.float64))
    return out


def write_atomic(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str): data = data.encode()
    with open(path + ".tmp", "wb") as f: f.write(data)
    os.replace(path + ".tmp", path)


# ----------------------------------------------------------------------------- the model
def layer_norm(x, w, b, eps, builtin):
    if builtin: return F.layer_norm(x, x.shape[-1:], w, b, eps)
    mean = x.mean(-1, keepdim=True); var = ((x - mean) ** 2).mean(-1, keepdim=True)  # biased variance
    return (x - mean) / torch.sqrt(var + eps) * w + b


def activation(x, name, builtin):
    if name == "gelu_new":
        if builtin: return F.gelu(x, approximate="tanh")
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    if name == "gelu":
        return F.gelu(x) if builtin else 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name == "relu":
        return F.relu(x) if builtin else torch.clamp(x, min=0.0)
    raise ValueError(name)


def sinusoidal(T, C, dtype):
    pos = torch.arange(T, dtype=F64)[:, None]; two_i = torch.arange(0, C, 2, dtype=F64)
    pe = torch.zeros(T, C, dtype=F64)
    pe[:, 0::2] = torch.sin(pos / 10000.0 ** (two_i / C)); pe[:, 1::2] = torch.cos(pos / 10000.0 ** (two_i / C))
    return pe.to(dtype)


class GPT:
    """params: {name: tensor} with Hugging Face GPT-2 names (no prefix), Conv1D [in, out] weights."""

    def __init__(self, cfg, params):
        self.cfg, self.p = cfg, params

    def attn(self, x, l, builtin):
        B, T, C = x.shape; nh = self.cfg["n_head"]; hs = C // nh; p = self.p
        q, k, v = (x @ p[f"h.{l}.attn.c_attn.weight"] + p[f"h.{l}.attn.c_attn.bias"]).split(C, dim=2)
        q, k, v = (t.view(B, T, nh, hs).transpose(1, 2) for t in (q, k, v))          # (B, nh, T, hs)
        mask = torch.ones(T, T, dtype=torch.bool).tril()                          # j <= i allowed
        if builtin:
            att = F.softmax(torch.einsum("bhid,bhjd->bhij", q, k).mul(1.0 / math.sqrt(hs))
                            .masked_fill(~mask, float("-inf")), dim=-1)
        else:
            s = (q @ k.transpose(-2, -1)) / math.sqrt(hs)
            s = torch.where(mask, s, torch.tensor(float("-inf"), dtype=s.dtype))
            e = torch.exp(s - s.max(-1, keepdim=True).values); att = e / e.sum(-1, keepdim=True)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return y @ p[f"h.{l}.attn.c_proj.weight"] + p[f"h.{l}.attn.c_proj.bias"], att

    def mlp(self, x, l, builtin):
        p = self.p
        h = activation(x @ p[f"h.{l}.mlp.c_fc.weight"] + p[f"h.{l}.mlp.c_fc.bias"], self.cfg["activation_function"], builtin)
        return h @ p[f"h.{l}.mlp.c_proj.weight"] + p[f"h.{l}.mlp.c_proj.bias"]

    def forward(self, tokens, targets=None, builtin=False):
        cfg, p = self.cfg, self.p; eps = cfg["layer_norm_epsilon"]; T = tokens.shape[1]
        wte = p["wte.weight"]; pos = cfg["position_encoding"]
        x = wte[tokens]
        if pos == "learned": x = x + p["wpe.weight"][:T]
        elif pos == "sinusoidal": x = x + sinusoidal(T, cfg["n_embd"], wte.dtype)
        hidden, atts = [], []
        ln = lambda t, name: layer_norm(t, p[name + ".weight"], p[name + ".bias"], eps, builtin)
        for l in range(cfg["n_layer"]):
            hidden.append(x)                                                        # input to block l
            if cfg["layer_norm_placement"] == "pre":
                a, att = self.attn(ln(x, f"h.{l}.ln_1"), l, builtin); x = x + a
                x = x + self.mlp(ln(x, f"h.{l}.ln_2"), l, builtin)
            else:
                a, att = self.attn(x, l, builtin); x = ln(x + a, f"h.{l}.ln_1")
                x = ln(x + self.mlp(x, l, builtin), f"h.{l}.ln_2")
            atts.append(att)
        if cfg["layer_norm_placement"] == "pre": x = ln(x, "ln_f")
        hidden.append(x)
        logits = x @ wte.T                                                          # tied unembedding
        loss = None
        if targets is not None:
            if builtin:
                loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1)
            else:
                logp = logits - torch.logsumexp(logits, -1, keepdim=True); keep = targets != -1
                loss = -(logp[keep].gather(1, targets[keep][:, None])).sum() / keep.sum()
        return logits, loss, hidden, atts


# ----------------------------------------------------------------------------- fixtures
def param_shapes(cfg):
    C, V, I = cfg["n_embd"], cfg["vocab_size"], 4 * cfg["n_embd"]
    s = {"wte.weight": [V, C]}
    if cfg["position_encoding"] == "learned": s["wpe.weight"] = [cfg["n_positions"], C]
    for l in range(cfg["n_layer"]):
        for n, sh in [("ln_1.weight", [C]), ("ln_1.bias", [C]), ("attn.c_attn.weight", [C, 3 * C]),
                      ("attn.c_attn.bias", [3 * C]), ("attn.c_proj.weight", [C, C]), ("attn.c_proj.bias", [C]),
                      ("ln_2.weight", [C]), ("ln_2.bias", [C]), ("mlp.c_fc.weight", [C, I]), ("mlp.c_fc.bias", [I]),
                      ("mlp.c_proj.weight", [I, C]), ("mlp.c_proj.bias", [C])]:
            s[f"h.{l}.{n}"] = sh
    if cfg["layer_norm_placement"] == "pre": s["ln_f.weight"] = s["ln_f.bias"] = [C]
    return s


def init_params(cfg, g):
    """Random but not tiny: logits ~1.5 std, attention scores ~1.5 std, so every path matters."""
    C = cfg["n_embd"]; wte_std = 1.5 / math.sqrt(C); out = {}
    for name, shape in param_shapes(cfg).items():
        z = torch.randn(shape, generator=g, dtype=F64)
        if name == "wte.weight": t = wte_std * z
        elif name == "wpe.weight": t = 0.7 * wte_std * z
        elif "ln_" in name and name.endswith(".weight"): t = 1.0 + 0.1 * z
        elif name.endswith(".bias"): t = 0.1 * z
        else: t = (1.3 if "c_attn" in name else 1.0) / math.sqrt(shape[0]) * z      # matrices, fan-in scaled
        out[name] = t.float().double()                     # the float64 truth of the stored float32 model
    return out


def hf_config(cfg):
    return {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_layer": cfg["n_layer"],
            "n_head": cfg["n_head"], "n_embd": cfg["n_embd"], "n_positions": cfg["n_positions"],
            "n_ctx": cfg["n_positions"], "vocab_size": cfg["vocab_size"], "n_inner": None,
            "layer_norm_epsilon": 1e-5, "activation_function": cfg["activation_function"],
            "resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0,
            "position_encoding": cfg["position_encoding"], "layer_norm_placement": cfg["layer_norm_placement"]}


def run(model, tokens, targets):
    """float64 forward + backward; returns outputs and {name: grad}."""
    for t in model.p.values(): t.requires_grad_(True); t.grad = None
    logits, loss, hidden, atts = model.forward(tokens, targets)
    loss.backward()
    grads = {n: t.grad.detach().clone() for n, t in model.p.items()}
    for t in model.p.values(): t.requires_grad_(False)
    return logits.detach(), loss.detach(), [h.detach() for h in hidden], [a.detach() for a in atts], grads


def self_check(name, cfg, params, tokens, targets, ref, g):
    logits, loss, hidden, atts, grads = ref
    # 1. the equations vs torch.nn.functional built-ins (LayerNorm, GELU, softmax, cross-entropy)
    b = GPT(cfg, {n: t.clone() for n, t in params.items()})
    bl, bloss, _, batts = b.forward(tokens, targets, builtin=True)
    eq = max((bl - logits).abs().max().item(), abs(bloss.item() - loss.item()),
             max((x - y).abs().max().item() for x, y in zip(batts, atts)))
    assert eq < 1e-12, f"{name}: equations vs built-ins differ by {eq}"
    # 2. autograd vs central finite differences (float64) on sampled coordinates of every parameter
    m, h, fd_err = GPT(cfg, params), 1e-6, 0.0
    for pn, t in params.items():
        gi = grads[pn].reshape(-1); idx = [int(gi.abs().argmax())] + torch.randint(gi.numel(), (2,), generator=g).tolist()
        for i in idx:
            old = t.view(-1)[i].item()
            t.view(-1)[i] = old + h; lp = m.forward(tokens, targets)[1].item()
            t.view(-1)[i] = old - h; lm = m.forward(tokens, targets)[1].item(); t.view(-1)[i] = old
            fd_err = max(fd_err, abs((lp - lm) / (2 * h) - gi[i].item()) / max(1.0, grads[pn].abs().max().item()))
    assert fd_err < 1e-6, f"{name}: autograd vs finite differences {fd_err}"
    # 3. a float32 run of the same model vs the float64 truth (relative to each tensor's max magnitude)
    m32 = GPT(cfg, {n: t.float() for n, t in params.items()})
    l32, loss32, _, _, g32 = run(m32, tokens, targets)
    rel = lambda a, r: ((a.double() - r).abs().max() / r.abs().max().clamp_min(1e-30)).item()
    f32 = {"logits": rel(l32, logits), "loss": abs(loss32.item() - loss.item()) / abs(loss.item()),
           "grads": max(rel(g32[n], grads[n]) for n in grads)}
    return eq, fd_err, f32


CONFIGS = [  # name, V, C, layers, heads, n_positions, activation, positions, LN, B, T, ignored target (b, t)
    ("gpt2-vocab", 50257, 8, 2, 2, 16, "gelu_new", "learned", "pre", 2, 5, (1, 2)),
    ("post-sinusoidal", 64, 16, 2, 2, 32, "gelu", "sinusoidal", "post", 2, 7, None),
    ("multi-head", 96, 32, 3, 4, 24, "gelu_new", "learned", "pre", 3, 9, (2, 8)),
    ("nopos-relu", 50, 12, 2, 3, 16, "relu", "none", "pre", 2, 6, None),
]


def write_fixture(out, spec, seed):
    name, V, C, L, NH, NP, act, pos, ln, B, T, ignore = spec
    cfg = {"n_layer": L, "n_head": NH, "n_embd": C, "n_positions": NP, "vocab_size": V,
           "layer_norm_epsilon": 1e-5, "activation_function": act, "position_encoding": pos, "layer_norm_placement": ln}
    g = torch.Generator().manual_seed(seed)
    params = init_params(cfg, g)
    seq = torch.randint(V, (B, T + 1), generator=g); seq[0, 0] = V - 1             # exercise the last vocab row
    tokens, targets = seq[:, :-1].clone(), seq[:, 1:].clone()
    if ignore: targets[ignore] = -1
    ref = run(GPT(cfg, params), tokens, targets)
    logits, loss, hidden, atts, grads = ref
    eq, fd, f32 = self_check(name, cfg, params, tokens, targets, ref, g)
    assert f32["logits"] < 1e-5 and f32["loss"] < 1e-5 and f32["grads"] < 1e-4, f"{name}: float32 run {f32}"
    d = os.path.join(out, name)
    write_atomic(os.path.join(d, "config.json"), json.dumps(hf_config(cfg), indent=2) + "\n")
    save_safetensors(os.path.join(d, "model.safetensors"), params, {"format": "pt"})
    write_atomic(os.path.join(d, "batch.json"), json.dumps({"B": B, "T": T, "tokens": tokens.tolist(), "targets": targets.tolist()}) + "\n")
    t = {"logits": logits, "loss": loss.reshape(1)}
    t.update({f"grad.{n}": gr for n, gr in grads.items()})
    t.update({f"attentions.{l}": a for l, a in enumerate(atts)})
    t.update({f"hidden_states.{i}": x for i, x in enumerate(hidden)})
    save_safetensors(os.path.join(d, "reference.safetensors"), t, {"format": "pt"})
    amax = torch.stack([a.max(-1).values.mean() for a in atts]).mean().item()
    print(f"{name:16s} max|logit| {logits.abs().max().item():7.3f}  loss {loss.item():.5f} (ln V {math.log(V):.3f})"
          f"  mean max-attn {amax:.3f}  | builtins {eq:.1e}  fin-diff {fd:.1e}  f32 logits {f32['logits']:.1e}"
          f" loss {f32['loss']:.1e} grads {f32['grads']:.1e}")


HF_TOKENS = {"lm-buddy-tiny_gpt2": (None, [20, 0, 1, 2, 3, 4, 5, 19, 20]),
             "lm-buddy-fake_gpt2": ("Hello world, this is gpt4j", [15496, 995, 11, 428, 318, 308, 457, 19, 73])}


def write_hf_reference(out, hf_dir, folder):
    text, ids = HF_TOKENS[folder]
    src = os.path.join(hf_dir, folder)
    hc = json.load(open(os.path.join(src, "config.json")))
    assert hc.get("n_inner") is None and hc.get("scale_attn_weights", True) and not hc.get("scale_attn_by_inverse_layer_idx")
    cfg = {k: hc[k] for k in ("n_layer", "n_head", "n_embd", "vocab_size", "layer_norm_epsilon", "activation_function")}
    cfg.update(n_positions=hc.get("n_positions", hc.get("n_ctx")), position_encoding="learned", layer_norm_placement="pre")
    params = {n.removeprefix("transformer."): t for n, t in load_safetensors(os.path.join(src, "model.safetensors")).items()
              if not n.endswith((".attn.bias", ".attn.masked_bias")) and n != "lm_head.weight"}
    assert set(params) == set(param_shapes(cfg)), f"{folder}: unexpected tensors {sorted(params)}"
    tokens = torch.tensor([ids])
    logits, _, hidden, atts = GPT(cfg, params).forward(tokens)
    t = {"logits": logits}
    t.update({f"attentions.{l}": a for l, a in enumerate(atts)})
    t.update({f"hidden_states.{i}": x for i, x in enumerate(hidden)})
    d = os.path.join(out, "hf-reference")
    save_safetensors(os.path.join(d, folder + ".safetensors"), t, {"format": "pt"})
    meta = {"model": folder, "text": text, "tokens": ids}
    write_atomic(os.path.join(d, folder + ".json"), json.dumps(meta) + "\n")
    print(f"{'hf/' + folder:16s} max|logit| {logits.abs().max().item():7.3f}  T {len(ids)}  V {cfg['vocab_size']}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="core/src/test/resources/fixtures", help="fixtures directory")
    ap.add_argument("--hf-dir", default="/work/shared/data/hf-tiny-gpt2", help="folder with the lm-buddy checkpoints")
    args = ap.parse_args()
    for i, spec in enumerate(CONFIGS):
        write_fixture(args.out, spec, seed=1337 + i)
    for folder in HF_TOKENS:
        if os.path.isdir(os.path.join(args.hf_dir, folder)): write_hf_reference(args.out, args.hf_dir, folder)
        else: print(f"skipping hf-reference/{folder}: {os.path.join(args.hf_dir, folder)} not found")
