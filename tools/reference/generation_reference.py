#!/usr/bin/env python3
"""gpt4j's generation oracle: greedy search, beam search and the logits warpers, in float64 PyTorch.

    /usr/bin/python3 tools/reference/generation_reference.py --fixtures core/src/test/resources/fixtures

Runs the float64 GPT of gpt_reference.py (full recomputation, no cache) on the committed fixture
models and writes <fixtures>/generation/{greedy,beam,warpers}.json. The algorithms follow Hugging
Face transformers (written out here; the package is not needed):

- logits processors in HF's order: repetition_penalty, no_repeat_ngram_size, then (sampling only)
  temperature, top_k, top_p, min_p, typical_p, with HF's tie and min_tokens_to_keep rules;
- greedy: processors on the raw logits, argmax;
- beam search: BeamSearchScorer / BeamHypotheses (transformers 4.36+): processors on log-softmax
  scores, 2*num_beams candidates per step, EOS candidates outside the top num_beams ignored,
  length_penalty over the generated length (EOS included), early_stopping True/False/"never",
  num_return_sequences best hypotheses, EOS appended to hypotheses that ended with it.

gpt4j's context policy (not in HF, which refuses to read past n_positions): when the visible
tokens exceed n_positions, the oldest slide out so that the last n - max(1, n // 4) remain.

Every case records the smallest score gap at a decision, so a float32 engine can be trusted to
agree token for token (asserted > MIN_GAP).
"""
import argparse, json, math, os, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_reference import GPT, load_safetensors, write_atomic  # noqa: E402

torch.set_num_threads(2)
F64 = torch.float64
NEG_INF = float("-inf")
MIN_GAP = 1e-4


# ----------------------------------------------------------------------------- models
def load_model(fixtures, name):
    d = os.path.join(fixtures, name)
    hc = json.load(open(os.path.join(d, "config.json")))
    cfg = {k: hc[k] for k in ("n_layer", "n_head", "n_embd", "vocab_size", "layer_norm_epsilon", "activation_function")}
    cfg.update(n_positions=hc.get("n_positions", hc.get("n_ctx")),
               position_encoding=hc.get("position_encoding", "learned"),
               layer_norm_placement=hc.get("layer_norm_placement", "pre"))
    params = {n.removeprefix("transformer."): t for n, t in load_safetensors(os.path.join(d, "model.safetensors")).items()
              if not n.endswith((".attn.bias", ".attn.masked_bias")) and n != "lm_head.weight"}
    return GPT(cfg, params), cfg


def window_start(length, start, n):
    """gpt4j's sliding policy: index of the oldest visible token."""
    if length - start > n:
        start = length - (n - max(1, n // 4))
    return start


def next_logits(model, rows, starts):
    """Last-position logits [len(rows), V] of each row's visible window (rows share one length)."""
    x = torch.tensor([r[s:] for r, s in zip(rows, starts)])
    with torch.no_grad():
        return model.forward(x)[0][:, -1, :].clone()


# ----------------------------------------------------------------------------- processors (HF)
def repetition_penalty(ids, scores, penalty):
    for b, row in enumerate(ids):
        idx = torch.tensor(sorted(set(row)))
        s = scores[b, idx]
        scores[b, idx] = torch.where(s < 0, s * penalty, s / penalty)
    return scores


def no_repeat_ngram(ids, scores, n):
    for b, row in enumerate(ids):
        if len(row) + 1 < n:
            continue
        grams = {}
        for i in range(len(row) - n + 1):
            grams.setdefault(tuple(row[i:i + n - 1]), []).append(row[i + n - 1])
        for t in grams.get(tuple(row[len(row) - n + 1:]), []):
            scores[b, t] = NEG_INF
    return scores


def top_k(scores, k, keep=1):
    k = min(max(k, keep), scores.shape[-1])
    kth = torch.topk(scores, k)[0][..., -1, None]
    return scores.masked_fill(scores < kth, NEG_INF)


def top_p(scores, p, keep=1):
    sorted_logits, sorted_idx = torch.sort(scores, descending=False, stable=True)
    cum = sorted_logits.softmax(-1).cumsum(-1)
    remove = cum <= (1 - p)
    remove[..., -keep:] = False
    return scores.masked_fill(remove.scatter(1, sorted_idx, remove), NEG_INF)


def min_p(scores, m, keep=1):
    probs = torch.softmax(scores, -1)
    remove = probs < m * probs.amax(-1, keepdim=True)
    sorted_idx = torch.argsort(scores, descending=True, stable=True)
    sorted_remove = torch.gather(remove, -1, sorted_idx)
    sorted_remove[..., :keep] = False
    return scores.masked_fill(sorted_remove.scatter(1, sorted_idx, sorted_remove), NEG_INF)


def typical(scores, mass, keep=1):
    normalized = torch.nn.functional.log_softmax(scores, -1)
    ent = -(normalized * normalized.exp()).nansum(-1, keepdim=True)
    shifted = torch.abs(-normalized - ent)
    sorted_scores, sorted_idx = torch.sort(shifted, descending=False, stable=True)
    cum = scores.gather(-1, sorted_idx).softmax(-1).cumsum(-1)
    last = (cum < mass).sum(dim=1).clamp_(max=sorted_scores.shape[-1] - 1)
    sorted_remove = sorted_scores > sorted_scores.gather(1, last.view(-1, 1))
    sorted_remove[..., :keep] = False
    return scores.masked_fill(sorted_remove.scatter(1, sorted_idx, sorted_remove), NEG_INF)


def process(ids, scores, s, sampling):
    if s.get("repetition_penalty", 1.0) != 1.0: scores = repetition_penalty(ids, scores, s["repetition_penalty"])
    if s.get("no_repeat_ngram_size", 0) > 0: scores = no_repeat_ngram(ids, scores, s["no_repeat_ngram_size"])
    if sampling:
        if s.get("temperature", 1.0) != 1.0: scores = scores / s["temperature"]
        if s.get("top_k", 0) > 0: scores = top_k(scores, s["top_k"])
        if s.get("top_p", 1.0) < 1.0: scores = top_p(scores, s["top_p"])
        if s.get("min_p") is not None: scores = min_p(scores, s["min_p"])
        if s.get("typical_p", 1.0) < 1.0: scores = typical(scores, s["typical_p"])
    return scores


# ----------------------------------------------------------------------------- greedy
def greedy(model, n, prompt, s):
    ids, start, gap = list(prompt), window_start(len(prompt), 0, n), math.inf
    for _ in range(s["max_new_tokens"]):
        scores = process([ids], next_logits(model, [ids], [start]), s, False)[0]
        top2 = torch.topk(scores, 2)[0]
        gap = min(gap, (top2[0] - top2[1]).item())
        t = int(torch.argmax(scores))
        ids.append(t)
        start = window_start(len(ids), start, n)
        if t in eos_ids(s):
            break
    return ids[len(prompt):], gap


# ----------------------------------------------------------------------------- beam search (HF)
class BeamHypotheses:
    def __init__(self, num_beams, length_penalty, early_stopping, max_length):
        self.num_beams, self.length_penalty, self.early_stopping, self.max_length = num_beams, length_penalty, early_stopping, max_length
        self.beams, self.worst_score = [], 1e9

    def add(self, hyp, sum_logprobs, generated_len):
        score = sum_logprobs / (generated_len ** self.length_penalty)
        if len(self.beams) < self.num_beams or score > self.worst_score:
            self.beams.append((score, hyp))
            if len(self.beams) > self.num_beams:
                ranked = sorted([(sc, i) for i, (sc, _) in enumerate(self.beams)])
                del self.beams[ranked[0][1]]
                self.worst_score = ranked[1][0]
            else:
                self.worst_score = min(score, self.worst_score)

    def is_done(self, best_sum_logprobs, cur_len, prompt_len):
        if len(self.beams) < self.num_beams: return False
        if self.early_stopping is True: return True
        if self.early_stopping is False or self.length_penalty <= 0:
            return self.worst_score >= best_sum_logprobs / (cur_len - prompt_len) ** self.length_penalty
        return self.worst_score >= best_sum_logprobs / (self.max_length - prompt_len) ** self.length_penalty


def eos_ids(s):
    """eos_token_id as Hugging Face takes it: one id or a list of ids, every one ending a sequence."""
    eos = s.get("eos_token_id")
    return [] if eos is None else eos if isinstance(eos, list) else [eos]


def beam_search(model, n, prompt, s):
    k, ends, P = s["num_beams"], eos_ids(s), len(prompt)
    eos = ends[0] if ends else None  # finished hypotheses are padded with the first, as HF's finalize does
    max_length = P + s["max_new_tokens"]
    hyps = BeamHypotheses(k, s["length_penalty"], s["early_stopping"], max_length)
    rows = [list(prompt) for _ in range(k)]
    beam_scores = torch.full((k,), -1e9, dtype=F64); beam_scores[0] = 0.0
    done, gap = False, math.inf
    while True:
        logits = next_logits(model, rows, [0] * k)
        scores = process(rows, torch.log_softmax(logits, -1), s, False) + beam_scores[:, None]
        V = scores.shape[-1]
        flat = scores.view(-1)
        top, idx = torch.topk(flat, 2 * k + 1)
        gap = min(gap, min((top[i] - top[i + 1]).item() for i in range(2 * k) if top[i + 1] > -1e8))
        top, idx = top[:2 * k], idx[:2 * k]
        cur_len = len(rows[0]) + 1
        nxt = []
        for rank, (sc, i) in enumerate(zip(top.tolist(), idx.tolist())):
            beam, tok = i // V, i % V
            if tok in ends:
                if rank >= k: continue
                hyps.add(list(rows[beam]), sc, cur_len - P)
            else:
                nxt.append((sc, beam, tok))
            if len(nxt) == k: break
        done = done or hyps.is_done(top.max().item(), cur_len, P)
        rows = [rows[b] + [t] for _, b, t in nxt]
        beam_scores = torch.tensor([sc for sc, _, _ in nxt], dtype=F64)
        if done or len(rows[0]) >= max_length: break
    if not done:
        for b in range(k):
            hyps.add(list(rows[b]), beam_scores[b].item(), len(rows[b]) - P)
    ranked = sorted(hyps.beams, key=lambda x: x[0])
    best = [ranked.pop() for _ in range(s["num_return_sequences"])]
    longest = max(len(h) for _, h in best) + 1
    out = []
    for score, h in best:
        tokens = h[P:] + ([eos] if len(h) < min(longest, max_length) else [])
        out.append({"tokens": tokens, "score": score})
    return out, gap


# ----------------------------------------------------------------------------- warpers on one vector
def warper_cases():
    g = torch.Generator().manual_seed(7)
    logits = (torch.randn(40, generator=g, dtype=F64) * 2.0).float().double()
    history = [3, 5, 5, 11, 3, 5]
    settings = [
        {"temperature": 0.7}, {"top_k": 5}, {"top_p": 0.8}, {"min_p": 0.1}, {"typical_p": 0.6},
        {"repetition_penalty": 1.3}, {"no_repeat_ngram_size": 2},
        {"temperature": 0.8, "top_k": 10, "top_p": 0.95, "repetition_penalty": 1.1},
        {"temperature": 1.3, "top_k": 20, "top_p": 0.9, "min_p": 0.05, "typical_p": 0.9, "repetition_penalty": 1.2},
    ]
    cases = []
    for s in settings:
        scores = process([history], logits.clone()[None, :], s, True)[0]
        cases.append({"settings": s, "probabilities": torch.softmax(scores, -1).tolist()})
    return {"logits": logits.tolist(), "history": history, "cases": cases}


# ----------------------------------------------------------------------------- fixtures
GREEDY = [  # model, prompt, settings
    ("multi-head", [95, 92, 15, 27, 54], {"max_new_tokens": 12}),
    ("multi-head", [9, 73, 54], {"max_new_tokens": 40}),                          # slides past n_positions = 24
    ("multi-head", [31, 27, 17, 40], {"max_new_tokens": 12, "repetition_penalty": 1.5, "no_repeat_ngram_size": 2}),
    ("multi-head", [31, 27, 17, 40, 82, 40, 72, 5, 95, 94, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
     {"max_new_tokens": 8}),                                                      # prompt longer than the context
    ("post-sinusoidal", [63, 1, 2, 3], {"max_new_tokens": 16}),
    ("nopos-relu", [49, 3, 8], {"max_new_tokens": 10}),
    ("hf/lm-buddy-fake_gpt2", [15496, 995, 11, 428, 318], {"max_new_tokens": 8}),
    ("hf/lm-buddy-tiny_gpt2", [20, 0, 1, 2], {"max_new_tokens": 10}),
]

BEAM = [
    ("multi-head", [95, 92, 15], {"num_beams": 3, "max_new_tokens": 10, "length_penalty": 1.0, "early_stopping": False, "num_return_sequences": 1}),
    ("multi-head", [9, 73, 54, 12], {"num_beams": 4, "max_new_tokens": 12, "length_penalty": 1.0, "early_stopping": False, "num_return_sequences": 3, "eos": 2}),
    ("multi-head", [9, 73, 54, 12], {"num_beams": 4, "max_new_tokens": 12, "length_penalty": 1.0, "early_stopping": True, "num_return_sequences": 2, "eos": 1}),
    ("multi-head", [9, 73, 54, 12], {"num_beams": 4, "max_new_tokens": 12, "length_penalty": 2.0, "early_stopping": "never", "num_return_sequences": 4, "eos": 1}),
    ("multi-head", [31, 27, 17], {"num_beams": 3, "max_new_tokens": 10, "length_penalty": -0.5, "early_stopping": False, "num_return_sequences": 3, "eos": 2}),
    # eos_token_id as a list: the second id, met first, ends hypotheses too (the first pads them)
    ("multi-head", [9, 73, 54, 12], {"num_beams": 4, "max_new_tokens": 12, "length_penalty": 1.0, "early_stopping": False, "num_return_sequences": 3, "eos": [6, 2]}),
    ("multi-head", [31, 27, 17], {"num_beams": 3, "max_new_tokens": 10, "length_penalty": 1.0, "early_stopping": True, "num_return_sequences": 2, "eos": [5, 1, 3]}),
    ("multi-head", [31, 27, 17], {"num_beams": 3, "max_new_tokens": 10, "length_penalty": 1.0, "early_stopping": False, "num_return_sequences": 2, "repetition_penalty": 1.4, "no_repeat_ngram_size": 2}),
    ("post-sinusoidal", [5, 40, 2, 17], {"num_beams": 5, "max_new_tokens": 8, "length_penalty": 0.8, "early_stopping": "never", "num_return_sequences": 5, "eos": 1}),
    ("hf/lm-buddy-fake_gpt2", [19, 73], {"num_beams": 2, "max_new_tokens": 5, "length_penalty": 1.0, "early_stopping": False, "num_return_sequences": 2}),
]


def pick_eos(model, n, prompt, step):
    """An EOS the beams actually meet: the token greedy search chooses at the given step."""
    return greedy(model, n, prompt, {"max_new_tokens": step + 1})[0][step]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", default="core/src/test/resources/fixtures")
    args = ap.parse_args()
    models = {}

    def model(name):
        if name not in models: models[name] = load_model(args.fixtures, name)
        return models[name]

    greedy_out = []
    for name, prompt, s in GREEDY:
        m, cfg = model(name)
        tokens, gap = greedy(m, cfg["n_positions"], prompt, s)
        assert gap > MIN_GAP, f"greedy {name} {prompt}: top-2 gap {gap}"
        greedy_out.append({"model": name, "prompt": prompt, "settings": s, "tokens": tokens, "min_gap": gap})
        print(f"greedy {name:22s} P={len(prompt):2d} new={len(tokens):2d} gap {gap:.2e} {tokens}")

    beam_out = []
    for name, prompt, s in BEAM:
        m, cfg = model(name)
        s = dict(s)
        if "eos" in s:
            step = s.pop("eos")
            s["eos_token_id"] = ([pick_eos(m, cfg["n_positions"], prompt, t) for t in step] if isinstance(step, list)
                                 else pick_eos(m, cfg["n_positions"], prompt, step))
        seqs, gap = beam_search(m, cfg["n_positions"], prompt, s)
        assert gap > MIN_GAP, f"beam {name} {prompt}: candidate gap {gap}"
        beam_out.append({"model": name, "prompt": prompt, "settings": s, "sequences": seqs, "min_gap": gap})
        print(f"beam   {name:22s} k={s['num_beams']} lp={s['length_penalty']:4} es={str(s['early_stopping']):5s} "
              f"eos={s.get('eos_token_id')} gap {gap:.2e} " + " | ".join(f"{q['score']:.3f} {q['tokens']}" for q in seqs))

    d = os.path.join(args.fixtures, "generation")
    write_atomic(os.path.join(d, "greedy.json"), json.dumps(greedy_out, indent=1) + "\n")
    write_atomic(os.path.join(d, "beam.json"), json.dumps(beam_out, indent=1) + "\n")
    write_atomic(os.path.join(d, "warpers.json"), json.dumps(warper_cases(), indent=1) + "\n")


if __name__ == "__main__":
    main()
