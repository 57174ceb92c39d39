#!/usr/bin/env python3
"""gpt4j's PyTorch oracle for BERT: BertForPreTraining written from its equations, in float64.

It writes the small fixture the Java tests compare against (CI never runs Python):

    /usr/bin/python3 tools/reference/bert_reference.py --out core/src/test/resources/fixtures

<out>/bert-pairs/: config.json and model.safetensors (a Hugging Face BERT directory, the names of
transformers' BertForPreTraining, Linear weights [out, in]), batch.json (input_ids, token_type_ids,
attention_mask with padding, MLM labels with -100, NSP labels), reference.safetensors
(mlm_logits [B, T, V], nsp_logits [B, 2], loss, mlm_loss, nsp_loss, hidden_states.<i>,
attentions.<l>, grad.<parameter> of loss = MLM + NSP), and three AdamW steps on that batch
(adamw.json: hyper-parameters and losses; adamw-final.safetensors: the weights after them).

Weights are random (seeded torch.Generator) and rounded to float32 *before* the float64 run, so the
reference is exactly the model that is stored. Self-checks (asserted): equations vs
torch.nn.functional built-ins, autograd vs central finite differences, and a float32 run vs the
float64 truth. --hf-check also runs transformers' BertForPreTraining on the stored directory and
compares (it needs transformers beside a torch it accepts: a venv, `pip install torch transformers`).
Run on 2026-12-03 with transformers 5.18.0 and torch 2.13.0+cpu: transformers' BertForPreTraining
on the stored directory agrees with this reference to 4.9e-15 (MLM and NSP logits, hidden states),
and that run reproduced the committed fixture (all but the key biases' gradients, which are 0 by
structure and differ at 1e-17 of round-off).
"""
import argparse, json, math, os, sys
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_reference import save_safetensors, load_safetensors, write_atomic  # noqa: E402

torch.set_num_threads(2)
F64 = torch.float64


def layer_norm(x, w, b, eps, builtin):
    if builtin: return F.layer_norm(x, x.shape[-1:], w, b, eps)
    mean = x.mean(-1, keepdim=True); var = ((x - mean) ** 2).mean(-1, keepdim=True)   # biased variance
    return (x - mean) / torch.sqrt(var + eps) * w + b


def gelu(x, builtin):
    return F.gelu(x) if builtin else 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))   # exact (erf) GELU


class Bert:
    """params: {name: tensor} with BertForPreTraining's names; nn.Linear weights are [out, in]."""

    def __init__(self, cfg, params):
        self.cfg, self.p = cfg, params

    def linear(self, x, name):
        return x @ self.p[name + ".weight"].T + self.p[name + ".bias"]

    def ln(self, x, name, builtin):
        return layer_norm(x, self.p[name + ".weight"], self.p[name + ".bias"], self.cfg["layer_norm_eps"], builtin)

    def attention(self, x, l, mask, builtin):
        B, T, C = x.shape; nh = self.cfg["num_attention_heads"]; hs = C // nh
        pre = f"bert.encoder.layer.{l}.attention."
        q, k, v = (self.linear(x, pre + "self." + n).view(B, T, nh, hs).transpose(1, 2) for n in ("query", "key", "value"))
        # Hugging Face's extended attention mask: (1 - mask) * finfo.min added to every query's scores
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        s = (q @ k.transpose(-2, -1)) / math.sqrt(hs) + bias
        if builtin: att = F.softmax(s, dim=-1)
        else: e = torch.exp(s - s.max(-1, keepdim=True).values); att = e / e.sum(-1, keepdim=True)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.linear(y, pre + "output.dense"), att

    def forward(self, ids, types, mask, mlm_labels=None, nsp_labels=None, builtin=False):
        p, T = self.p, ids.shape[1]
        e = "bert.embeddings."
        x = p[e + "word_embeddings.weight"][ids] + p[e + "position_embeddings.weight"][:T] + p[e + "token_type_embeddings.weight"][types]
        x = self.ln(x, e + "LayerNorm", builtin)
        hidden, atts = [x], []
        for l in range(self.cfg["num_hidden_layers"]):
            pre = f"bert.encoder.layer.{l}."
            a, att = self.attention(x, l, mask, builtin)
            x = self.ln(x + a, pre + "attention.output.LayerNorm", builtin)               # post-LN
            h = gelu(self.linear(x, pre + "intermediate.dense"), builtin)
            x = self.ln(x + self.linear(h, pre + "output.dense"), pre + "output.LayerNorm", builtin)
            hidden.append(x); atts.append(att)
        pooled = torch.tanh(self.linear(x[:, 0], "bert.pooler.dense"))
        t = self.ln(gelu(self.linear(x, "cls.predictions.transform.dense"), builtin), "cls.predictions.transform.LayerNorm", builtin)
        mlm = t @ p[e + "word_embeddings.weight"].T + p["cls.predictions.bias"]           # decoder tied to the embedding
        nsp = self.linear(pooled, "cls.seq_relationship")
        losses = None
        if mlm_labels is not None:
            V = mlm.shape[-1]
            if builtin:
                ml = F.cross_entropy(mlm.reshape(-1, V), mlm_labels.reshape(-1), ignore_index=-100)
                nl = F.cross_entropy(nsp, nsp_labels, ignore_index=-100)
            else:
                ml, nl = ce(mlm.reshape(-1, V), mlm_labels.reshape(-1)), ce(nsp, nsp_labels)
            losses = (ml + nl, ml, nl)
        return mlm, nsp, hidden, atts, losses


def ce(logits, labels):
    keep = labels != -100
    logp = logits[keep] - torch.logsumexp(logits[keep], -1, keepdim=True)
    return -logp.gather(1, labels[keep][:, None]).sum() / keep.sum()


# ----------------------------------------------------------------------------- fixture
def param_shapes(cfg):
    V, C, I, P, TV = (cfg[k] for k in ("vocab_size", "hidden_size", "intermediate_size", "max_position_embeddings", "type_vocab_size"))
    e = "bert.embeddings."
    s = {e + "word_embeddings.weight": [V, C], e + "position_embeddings.weight": [P, C],
         e + "token_type_embeddings.weight": [TV, C], e + "LayerNorm.weight": [C], e + "LayerNorm.bias": [C]}
    for l in range(cfg["num_hidden_layers"]):
        pre = f"bert.encoder.layer.{l}."
        for n, o, i in [("attention.self.query", C, C), ("attention.self.key", C, C), ("attention.self.value", C, C),
                        ("attention.output.dense", C, C), ("intermediate.dense", I, C), ("output.dense", C, I)]:
            s[pre + n + ".weight"] = [o, i]; s[pre + n + ".bias"] = [o]
            if n in ("attention.output.dense", "output.dense"):
                ln = pre + n.replace("dense", "LayerNorm")
                s[ln + ".weight"] = s[ln + ".bias"] = [C]
    s.update({"bert.pooler.dense.weight": [C, C], "bert.pooler.dense.bias": [C], "cls.predictions.bias": [V],
              "cls.predictions.transform.dense.weight": [C, C], "cls.predictions.transform.dense.bias": [C],
              "cls.predictions.transform.LayerNorm.weight": [C], "cls.predictions.transform.LayerNorm.bias": [C],
              "cls.seq_relationship.weight": [2, C], "cls.seq_relationship.bias": [2]})
    return s


def init_params(cfg, g):
    """Random but not tiny (logits and attention scores ~1.5 std), so every path matters."""
    C = cfg["hidden_size"]; out = {}
    for name, shape in param_shapes(cfg).items():
        z = torch.randn(shape, generator=g, dtype=F64)
        if name.endswith("_embeddings.weight"): t = (0.3 if "word" in name else 0.2) * z
        elif "LayerNorm.weight" in name: t = 1.0 + 0.1 * z
        elif name.endswith(".bias"): t = 0.1 * z
        else: t = (1.5 if ".self." in name else 1.0) / math.sqrt(shape[1]) * z        # [out, in]: fan-in scaled
        out[name] = t.float().double()                 # the float64 truth of the stored float32 model
    return out


def hf_config(cfg):
    c = {"architectures": ["BertForPreTraining"], "model_type": "bert", "hidden_act": "gelu",
         "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "initializer_range": 0.02,
         "pad_token_id": 0, "position_embedding_type": "absolute", "torch_dtype": "float32"}
    c.update(cfg)
    return c


def run(model, batch):
    """float64 forward + backward; returns outputs and {name: grad}."""
    for t in model.p.values(): t.requires_grad_(True); t.grad = None
    mlm, nsp, hidden, atts, (loss, ml, nl) = model.forward(*batch)
    loss.backward()
    grads = {n: t.grad.detach().clone() for n, t in model.p.items()}
    for t in model.p.values(): t.requires_grad_(False)
    return mlm.detach(), nsp.detach(), [h.detach() for h in hidden], [a.detach() for a in atts], (loss.detach(), ml.detach(), nl.detach()), grads


def self_check(cfg, params, batch, ref, g):
    mlm, nsp, hidden, atts, losses, grads = ref
    bm, bn, _, batts, bl = Bert(cfg, {n: t.clone() for n, t in params.items()}).forward(*batch, builtin=True)
    eq = max((bm - mlm).abs().max().item(), (bn - nsp).abs().max().item(), abs(bl[0].item() - losses[0].item()),
             max((x - y).abs().max().item() for x, y in zip(batts, atts)))
    assert eq < 1e-12, f"equations vs built-ins differ by {eq}"
    m, h, fd = Bert(cfg, params), 1e-6, 0.0
    for pn, t in params.items():
        gi = grads[pn].reshape(-1); idx = [int(gi.abs().argmax())] + torch.randint(gi.numel(), (2,), generator=g).tolist()
        for i in idx:
            old = t.view(-1)[i].item()
            t.view(-1)[i] = old + h; lp = m.forward(*batch)[4][0].item()
            t.view(-1)[i] = old - h; lm = m.forward(*batch)[4][0].item(); t.view(-1)[i] = old
            fd = max(fd, abs((lp - lm) / (2 * h) - gi[i].item()) / max(1.0, grads[pn].abs().max().item()))
    assert fd < 1e-6, f"autograd vs finite differences {fd}"
    m32 = Bert(cfg, {n: t.float() for n, t in params.items()})
    r32 = run(m32, batch)
    rel = lambda a, r: ((a.double() - r).abs().max() / r.abs().max().clamp_min(1e-30)).item()
    big = [n for n in grads if grads[n].abs().max() > 1e-10]            # the key biases' gradient is 0 (softmax shift)
    f32 = {"mlm": rel(r32[0], mlm), "nsp": rel(r32[1], nsp), "grads": max(rel(r32[5][n], grads[n]) for n in big)}
    assert f32["mlm"] < 1e-5 and f32["nsp"] < 1e-5 and f32["grads"] < 1e-4, f"float32 run {f32}"
    return eq, fd, f32


# eps 1e-5: the key biases' gradient is 0 up to float32 round-off, which AdamW turns into steps of
# lr * g / (|g| + eps); see tools/reference/README.md.
ADAMW = {"steps": 3, "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-5, "weight_decay": 0.01}


def adamw_steps(cfg, params, batch):
    """torch.optim.AdamW, weight decay on rank >= 2 tensors (BERT's no-decay list: biases, LayerNorm)."""
    p = {n: t.clone().requires_grad_(True) for n, t in params.items()}
    decay = [t for t in p.values() if t.dim() >= 2]; rest = [t for t in p.values() if t.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": ADAMW["weight_decay"]}, {"params": rest, "weight_decay": 0.0}],
                            lr=ADAMW["lr"], betas=(ADAMW["beta1"], ADAMW["beta2"]), eps=ADAMW["eps"])
    model, losses = Bert(cfg, p), []
    for _ in range(ADAMW["steps"]):
        opt.zero_grad()
        loss = model.forward(*batch)[4][0]; loss.backward(); opt.step(); losses.append(loss.item())
    return {n: t.detach() for n, t in p.items()}, losses


def hf_check(d, batch, mlm, nsp, hidden):
    from transformers import BertForPreTraining
    model = BertForPreTraining.from_pretrained(d, attn_implementation="eager").double().eval()
    ids, types, mask, ml, nl = batch
    with torch.no_grad():
        o = model(input_ids=ids, token_type_ids=types, attention_mask=mask, output_hidden_states=True)
    err = max((o.prediction_logits - mlm).abs().max().item(), (o.seq_relationship_logits - nsp).abs().max().item(),
              max((a - b).abs().max().item() for a, b in zip(o.hidden_states, hidden)))
    print(f"transformers BertForPreTraining vs this reference: max |diff| {err:.1e}")
    assert err < 1e-10, err


CFG = {"vocab_size": 99, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 48,
       "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12}
PAD, CLS, SEP, MASK = 0, 2, 3, 4


def make_batch(g):
    """Two pairs [CLS] a [SEP] b [SEP] of 12 positions; the second padded after 9, with masked tokens."""
    B, T, V = 2, 12, CFG["vocab_size"]
    ids = torch.randint(5, V, (B, T), generator=g); ids[0, 3] = V - 1                 # exercise the last vocab row
    types = torch.zeros(B, T, dtype=torch.long); mask = torch.ones(B, T, dtype=torch.long)
    for b, (sep1, end) in enumerate([(5, 12), (4, 9)]):
        ids[b, 0] = CLS; ids[b, sep1] = SEP; ids[b, end - 1] = SEP; types[b, sep1 + 1:end] = 1
        ids[b, end:] = PAD; mask[b, end:] = 0
    labels = torch.full((B, T), -100, dtype=torch.long)
    for b, t, how in [(0, 2, "mask"), (0, 7, "random"), (0, 9, "keep"), (1, 1, "mask"), (1, 6, "mask")]:
        labels[b, t] = ids[b, t]
        if how == "mask": ids[b, t] = MASK
        elif how == "random": ids[b, t] = (ids[b, t] + 17) % (V - 5) + 5
    return ids, types, mask, labels, torch.tensor([0, 1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="core/src/test/resources/fixtures", help="fixtures directory")
    ap.add_argument("--hf-check", action="store_true", help="also compare with transformers' BertForPreTraining")
    args = ap.parse_args()
    g = torch.Generator().manual_seed(4242)
    params = init_params(CFG, g)
    batch = make_batch(g)
    ref = run(Bert(CFG, params), batch)
    mlm, nsp, hidden, atts, (loss, ml, nl), grads = ref
    eq, fd, f32 = self_check(CFG, params, batch, ref, g)
    final, losses = adamw_steps(CFG, params, batch)
    d = os.path.join(args.out, "bert-pairs")
    write_atomic(os.path.join(d, "config.json"), json.dumps(hf_config(CFG), indent=2) + "\n")
    save_safetensors(os.path.join(d, "model.safetensors"), params, {"format": "pt"})
    ids, types, mask, labels, nsp_labels = batch
    write_atomic(os.path.join(d, "batch.json"), json.dumps({"B": ids.shape[0], "T": ids.shape[1], "input_ids": ids.tolist(),
        "token_type_ids": types.tolist(), "attention_mask": mask.tolist(), "mlm_labels": labels.tolist(),
        "nsp_labels": nsp_labels.tolist()}) + "\n")
    t = {"mlm_logits": mlm, "nsp_logits": nsp, "loss": loss.reshape(1), "mlm_loss": ml.reshape(1), "nsp_loss": nl.reshape(1)}
    t.update({f"grad.{n}": gr for n, gr in grads.items()})
    t.update({f"attentions.{l}": a for l, a in enumerate(atts)})
    t.update({f"hidden_states.{i}": x for i, x in enumerate(hidden)})
    save_safetensors(os.path.join(d, "reference.safetensors"), t, {"format": "pt"})
    write_atomic(os.path.join(d, "adamw.json"), json.dumps({"hyper_parameters": ADAMW, "loss": losses}) + "\n")
    save_safetensors(os.path.join(d, "adamw-final.safetensors"), final, {"format": "pt"})
    print(f"bert-pairs  max|mlm logit| {mlm.abs().max().item():.3f}  loss {loss.item():.5f} (mlm {ml.item():.5f}, nsp {nl.item():.5f})"
          f"  adamw losses {' '.join(f'{x:.5f}' for x in losses)} | builtins {eq:.1e}  fin-diff {fd:.1e}"
          f"  f32 mlm {f32['mlm']:.1e} nsp {f32['nsp']:.1e} grads {f32['grads']:.1e}")
    if args.hf_check: hf_check(d, batch, mlm, nsp, hidden)


if __name__ == "__main__":
    main()
