#!/usr/bin/env python3
"""gpt4j's PyTorch oracle for inference with bf16 and int8 weights.

    /usr/bin/python3 tools/reference/quantization_reference.py --out core/src/test/resources/fixtures

Reads the synthetic fixtures gpt_reference.py wrote (multi-head; nopos-relu, whose widths 12, 36, 48
are not multiples of a vector) and, for each, writes
<out>/quantized/<name>.safetensors with:
  - logits.bf16, logits.int8 [B,T,V]: the float64 forward of batch.json with every weight matrix
    (c_attn, c_proj, c_fc, c_proj of each block, and wte, which the tied unembedding and the
    embedding both read) replaced by its bf16 / int8 version; LayerNorms, biases and wpe stay f32;
  - int8.<param> (the codes, as floats) and scale.<param> for every quantized matrix.
bf16 is torch's rounding (tensor.to(torch.bfloat16)). int8 is torch.quantize_per_channel with
zero point 0 and scale = absmax / 127 per output channel: the column of a Conv1D [in, out]
weight (axis 1), the row of wte [V, C] (axis 0).

With --model DIR --text FILE it instead prints the model's loss and perplexity on the text with
f32, bf16 and int8 weights, computed in float32 by PyTorch over the windows `gpt4j eval` reads
(consecutive windows of n_positions tokens, then the remainder): the oracle for the perplexity
change `gpt4j eval --weights` reports. Char-level models only (char_vocab.json).
"""
import argparse, json, math, os, sys
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_reference import GPT, load_safetensors, save_safetensors  # noqa: E402

FIXTURES = ["multi-head", "nopos-relu"]


def quantized_names(params):
    return [n for n in params if n == "wte.weight" or (n.endswith(".weight") and params[n].dim() == 2 and n != "wpe.weight")]


def bf16(t):
    return t.float().to(torch.bfloat16).double()


def int8(t, axis):
    """(codes, scales, dequantized float64) of torch's symmetric per-channel int8 quantization."""
    f = t.float()
    absmax = f.abs().amax(dim=1 - axis)
    scales = torch.where(absmax == 0, torch.ones_like(absmax), absmax / 127)      # float32 division
    q = torch.quantize_per_channel(f, scales.double(), torch.zeros_like(scales, dtype=torch.long), axis, torch.qint8)
    codes = q.int_repr()
    assert codes.abs().max() <= 127
    return codes, scales, q.dequantize().double()


def config_of(path):
    hc = json.load(open(path))
    cfg = {k: hc[k] for k in ("n_layer", "n_head", "n_embd", "n_positions", "vocab_size", "layer_norm_epsilon",
                              "activation_function", "position_encoding", "layer_norm_placement")}
    return cfg


def quantized_params(params, label):
    if label == "f32":
        return dict(params)
    out = dict(params)
    for n in quantized_names(params):
        out[n] = bf16(params[n]) if label == "bf16" else int8(params[n], 0 if n == "wte.weight" else 1)[2]
    return out


def perplexities(model_dir, text_file, batch=16):
    cfg = config_of(os.path.join(model_dir, "config.json"))
    params = load_safetensors(os.path.join(model_dir, "model.safetensors"))
    chars = json.load(open(os.path.join(model_dir, "char_vocab.json")))["chars"]
    index = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([index[c] for c in open(text_file, encoding="utf-8").read()])
    T = cfg["n_positions"]
    predicted = len(ids) - 1
    windows = [(w * T, T) for w in range(predicted // T)]
    if predicted % T:
        windows.append((predicted // T * T, predicted % T))
    for label in ("f32", "bf16", "int8"):
        model = GPT(cfg, {n: t.float() for n, t in quantized_params(params, label).items()})
        total = 0.0
        with torch.no_grad():
            for i in range(0, len(windows), batch):
                group = [w for w in windows[i:i + batch] if w[1] == windows[i][1]]
                rest = [w for w in windows[i:i + batch] if w[1] != windows[i][1]]
                for part in (group, rest):
                    if not part:
                        continue
                    x = torch.stack([ids[s:s + t] for s, t in part])
                    y = torch.stack([ids[s + 1:s + t + 1] for s, t in part])
                    logits = model.forward(x)[0]
                    total += torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                                               reduction="sum").item()
        loss = total / predicted
        print(json.dumps({"weights": label, "loss": loss, "perplexity": math.exp(loss), "tokens": predicted}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="core/src/test/resources/fixtures", help="fixtures directory")
    ap.add_argument("--model", help="a char-level gpt4j model directory: print perplexities instead of fixtures")
    ap.add_argument("--text", help="the text to evaluate --model on")
    args = ap.parse_args()
    torch.set_num_threads(2)
    if args.model:
        if not args.text:
            ap.error("--model needs --text")
        perplexities(args.model, args.text)
        return
    for name in FIXTURES:
        d = os.path.join(args.out, name)
        cfg = config_of(os.path.join(d, "config.json"))
        params = load_safetensors(os.path.join(d, "model.safetensors"))
        batch = json.load(open(os.path.join(d, "batch.json")))
        tokens = torch.tensor(batch["tokens"])
        full, _, _, _ = GPT(cfg, params).forward(tokens)
        out = {}
        p16, p8 = dict(params), dict(params)
        for n in quantized_names(params):
            p16[n] = bf16(params[n])
            codes, scales, deq = int8(params[n], 0 if n == "wte.weight" else 1)
            p8[n] = deq
            out[f"int8.{n}"] = codes.double()
            out[f"scale.{n}"] = scales.double()
        for label, p in (("bf16", p16), ("int8", p8)):
            logits, _, _, _ = GPT(cfg, p).forward(tokens)
            out[f"logits.{label}"] = logits
            change = ((logits - full).abs().max() / full.abs().max()).item()
            print(f"{name:12s} {label}: logits change {change:.2e} of max |logit| {full.abs().max().item():.3f}")
        save_safetensors(os.path.join(args.out, "quantized", name + ".safetensors"), out, {"format": "pt"})


if __name__ == "__main__":
    main()
