#!/usr/bin/env python3
"""Few-shot oracle: prompts, answer log-likelihoods, contextual calibration and predictions.

    /usr/bin/python3 tools/reference/fewshot_reference.py --out core/src/test/resources/fixtures

Imports gpt_reference.py's float64 GPT and writes <out>/fewshot/:
  config.json, model.safetensors, char_vocab.json   a tiny random GPT over a character vocabulary
                                                    (so the prompt text -> ids step needs no BPE here)
  cls-train.tsv, cls-data.tsv, ent-train.tsv, ent-data.tsv, mc-train.jsonl, mc-data.jsonl
                                                    a made-up labelled set of each task shape
  reference.json                                    per case and example: the prompt ids, the
                                                    demonstrations dropped to fit, each answer's
                                                    log-likelihood, score, probabilities, the content-free
                                                    probabilities p_cf, the calibrated ones, the predictions
What gpt4j fewshot must do (written here from its description, not from the Java code):
  prompt text = sum over kept demonstrations d of (template(d) + answer(d) + separator) + template(question)
  ids = the characters' ids; demonstrations are dropped from the left until
        len(ids) + longest answer - 1 <= n_positions, then (if still too long) the first ids are cut
  log-likelihood(answer) = sum_j log softmax(logits[len(ids) - 1 + j])[answer_j], one full forward of
        ids + answer[:-1] (no KV cache: the Java side uses one; this checks it)
  score = log-likelihood (sum) or log-likelihood / len(answer) (mean); p = softmax(scores)
  content-free: the same demonstrations and "N/A" in every template field; p_cf = softmax(its scores)
  calibrated q = (p / p_cf) / sum(p / p_cf)   (Zhao et al. 2021, W = diag(p_cf)^-1, b = 0)
Self-checks (asserted): a float32 run agrees with float64 to 1e-5 relative on every log-likelihood,
and every prediction wins by a probability margin > 1e-4 (so float32 picks the same answer).
"""
import argparse, json, os, sys
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_reference import GPT, init_params, hf_config, save_safetensors, write_atomic  # noqa: E402

torch.set_num_threads(2)

CLS_TRAIN = [("a fun film", "pos"), ("dull plot", "neg"), ("great cast", "pos"), ("so boring", "neg"),
             ("warm and fun", "pos"), ("bad acting", "neg")]
CLS_DATA = [("fun cast", "pos"), ("dull film", "neg"), ("so great", "pos"), ("a boring plot", "neg")]
ENT_TRAIN = [("it rains", "it is wet", "entailment"), ("cats purr", "dogs fly", "not_entailment"),
             ("we ate", "we had food", "entailment")]
ENT_DATA = [("sun is up", "it is day", "entailment"), ("a cat sat", "a dog ran", "not_entailment")]
MC_TRAIN = [{"premise": "it rained", "choice1": "we got wet", "choice2": "we sang", "question": "effect", "label": 0},
            {"premise": "the cup fell", "choice1": "it broke", "choice2": "it grew tall", "question": "effect", "label": 0},
            {"premise": "i was cold", "choices": ["i ate cake", "i wore a coat"], "question": "effect", "label": 1}]
MC_DATA = [{"premise": "the ice sat out", "choice1": "it melted", "choice2": "it sang a song", "question": "effect", "label": 0},
           {"premise": "he ran far", "choice1": "he slept well", "choice2": "he was tired", "question": "effect", "label": 1}]

N_POSITIONS = 64
CONTENT_FREE = "N/A"

# name, task, train, data, typed template, typed separator, --labels (None: default), scoring, demonstrations
CASES = [
    ("cls-0shot-sum", "classification", "cls-train.tsv", "cls-data.tsv", "R: {text}\\nS:", "\\n\\n", " bad, good", "sum", []),
    ("cls-2shot-sum", "classification", "cls-train.tsv", "cls-data.tsv", "R: {text}\\nS:", "\\n\\n", " bad, good", "sum", [3, 0]),
    ("cls-4shot-sum-dropped", "classification", "cls-train.tsv", "cls-data.tsv", "R: {text}\\nS:", "\\n\\n", " bad, good", "sum",
     [1, 4, 2, 5]),
    ("cls-2shot-mean", "classification", "cls-train.tsv", "cls-data.tsv", "R: {text}\\nS:", " | ", " bad, good", "mean", [2, 1]),
    ("ent-1shot-sum", "entailment", "ent-train.tsv", "ent-data.tsv", "{premise}? {hypothesis}:", "\\n", " yes, no", "sum", [1]),
    ("mc-1shot-mean", "multiple-choice", "mc-train.jsonl", "mc-data.jsonl", "{premise}, so", "\\n", None, "mean", [2]),
]


def unescape(typed):
    out, i = [], 0
    while i < len(typed):
        if typed[i] == "\\" and i + 1 < len(typed) and typed[i + 1] in "nt\\":
            out.append({"n": "\n", "t": "\t", "\\": "\\"}[typed[i + 1]]); i += 2
        else:
            out.append(typed[i]); i += 1
    return "".join(out)


def render(template, fields):
    out = template
    for k, v in fields.items(): out = out.replace("{" + k + "}", v)
    assert "{" not in out, out
    return out


def examples(task, rows, words):
    """(fields, answers, gold) per row, as gpt4j's readers give them."""
    if task == "classification":
        labels = sorted({r[1] for r in CLS_TRAIN})
        return [({"text": t}, words, labels.index(l)) for t, l in rows]
    if task == "entailment":
        labels = sorted({r[2] for r in ENT_TRAIN})
        return [({"text": p, "pair": h, "premise": p, "hypothesis": h}, words, labels.index(l)) for p, h, l in rows]
    out = []
    for r in rows:
        choices = r.get("choices") or [r[f"choice{i}"] for i in range(1, 10) if f"choice{i}" in r]
        fields = {k: str(v) for k, v in r.items() if isinstance(v, (str, int)) and not isinstance(v, bool)}
        out.append((fields, [" " + c for c in choices], r["label"]))
    return out


def build(template, sep, train, demos, question_text, longest, may_drop, enc, ctx):
    budget = ctx - (longest - 1)
    first = 0
    while True:
        text = "".join(render(template, train[d][0]) + train[d][1][train[d][2]] + sep for d in demos[first:]) + question_text
        ids = enc(text)
        if len(ids) <= budget or not may_drop or first == len(demos):
            cut = max(0, len(ids) - budget)
            return ids[cut:], demos[first:], first, cut
        first += 1


def log_likelihoods(model, ids, answers):
    out = []
    for a in answers:
        seq = torch.tensor([ids + a[:-1]])
        logits = model.forward(seq)[0][0]
        logp = torch.log_softmax(logits, -1)
        out.append(sum(logp[len(ids) - 1 + j, t] for j, t in enumerate(a)).item())
    return out


def softmax(x):
    t = torch.tensor(x, dtype=torch.float64)
    return torch.softmax(t, 0).tolist()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="core/src/test/resources/fixtures", help="fixtures directory")
    args = ap.parse_args()
    d = os.path.join(args.out, "fewshot")

    files = {
        "cls-train.tsv": "sentence\tlabel\n" + "".join(f"{t}\t{l}\n" for t, l in CLS_TRAIN),
        "cls-data.tsv": "sentence\tlabel\n" + "".join(f"{t}\t{l}\n" for t, l in CLS_DATA),
        "ent-train.tsv": "index\tsentence1\tsentence2\tlabel\n" + "".join(f"{i}\t{p}\t{h}\t{l}\n" for i, (p, h, l) in enumerate(ENT_TRAIN)),
        "ent-data.tsv": "index\tsentence1\tsentence2\tlabel\n" + "".join(f"{i}\t{p}\t{h}\t{l}\n" for i, (p, h, l) in enumerate(ENT_DATA)),
        "mc-train.jsonl": "".join(json.dumps(r) + "\n" for r in MC_TRAIN),
        "mc-data.jsonl": "".join(json.dumps(r) + "\n" for r in MC_DATA),
    }
    # The character vocabulary: everything any prompt or answer can hold.
    text = "".join(files.values()) + "".join(unescape(c[4]) + unescape(c[5]) + (c[6] or "") for c in CASES) + CONTENT_FREE
    chars = sorted(set(text) - {"\t"} | {"\n"})
    char_id = {c: i for i, c in enumerate(chars)}
    enc = lambda s: [char_id[c] for c in s]

    cfg = {"n_layer": 2, "n_head": 2, "n_embd": 16, "n_positions": N_POSITIONS, "vocab_size": len(chars),
           "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "position_encoding": "learned",
           "layer_norm_placement": "pre"}
    g = torch.Generator().manual_seed(2021)
    params = init_params(cfg, g)
    model, model32 = GPT(cfg, params), GPT(cfg, {n: t.float() for n, t in params.items()})

    cases, worst_f32, worst_gap = [], 0.0, 1.0
    for name, task, train_file, data_file, typed_template, typed_sep, labels, scoring, demos in CASES:
        template, sep = unescape(typed_template), unescape(typed_sep)
        if task == "classification": words = labels.split(",") if labels else [" " + l for l in sorted({r[1] for r in CLS_TRAIN})]
        elif task == "entailment": words = labels.split(",") if labels else [" " + l for l in sorted({r[2] for r in ENT_TRAIN})]
        else: words = None
        train = examples(task, {"cls-train.tsv": CLS_TRAIN, "ent-train.tsv": ENT_TRAIN, "mc-train.jsonl": MC_TRAIN}[train_file], words)
        data = examples(task, {"cls-data.tsv": CLS_DATA, "ent-data.tsv": ENT_DATA, "mc-data.jsonl": MC_DATA}[data_file], words)
        out = []
        for i, (fields, answers, gold) in enumerate(data):
            a_ids = [enc(a) for a in answers]
            longest = max(len(a) for a in a_ids)
            ids, kept, dropped, cut = build(template, sep, train, demos, render(template, fields), longest, True, enc, N_POSITIONS)
            ll = log_likelihoods(model, ids, a_ids)
            ll32 = log_likelihoods(model32, ids, a_ids)
            worst_f32 = max(worst_f32, max(abs(x - y) / max(1.0, abs(x)) for x, y in zip(ll, ll32)))
            scores = [x / len(a) if scoring == "mean" else x for x, a in zip(ll, a_ids)]
            p = softmax(scores)
            cf_fields = {k: CONTENT_FREE for k in fields}
            cf_ids, cf_kept, _, _ = build(template, sep, train, kept, render(template, cf_fields), longest, False, enc, N_POSITIONS)
            assert cf_kept == kept
            cf_ll = log_likelihoods(model, cf_ids, a_ids)
            p_cf = softmax([x / len(a) if scoring == "mean" else x for x, a in zip(cf_ll, a_ids)])
            w = [pi / ci for pi, ci in zip(p, p_cf)]
            q = [x / sum(w) for x in w]
            pred, pred_u = max(range(len(q)), key=q.__getitem__), max(range(len(p)), key=p.__getitem__)
            for probs, k in ((p, pred_u), (q, pred)):
                gap = min(probs[k] - x for j, x in enumerate(probs) if j != k)
                worst_gap = min(worst_gap, gap)
            out.append({"index": i, "gold": gold, "prompt": ids, "demonstrations": kept, "dropped": dropped, "cut": cut,
                        "content_free_prompt": cf_ids, "log_likelihoods": ll, "scores": scores, "probabilities": p,
                        "content_free": p_cf, "calibrated": q, "predicted": pred, "predicted_uncalibrated": pred_u})
        cases.append({"name": name, "task": task, "train": train_file, "data": data_file, "template": typed_template,
                      "separator": typed_sep, "labels": labels, "scoring": scoring, "demonstrations": demos, "examples": out})
        drops = sum(e["dropped"] for e in out)
        print(f"fewshot/{name:22s} {len(out)} examples, prompts {min(len(e['prompt']) for e in out)}-"
              f"{max(len(e['prompt']) for e in out)} ids, {drops} demonstrations dropped, predictions "
              f"{[e['predicted_uncalibrated'] for e in out]} -> calibrated {[e['predicted'] for e in out]}")
    assert worst_f32 < 1e-5, f"float32 log-likelihoods differ by {worst_f32}"
    assert worst_gap > 1e-4, f"a prediction wins by only {worst_gap}: float32 may choose differently"
    assert any(e["dropped"] for c in cases for e in c["examples"]), "no case drops a demonstration"

    for f, content in files.items(): write_atomic(os.path.join(d, f), content)
    write_atomic(os.path.join(d, "config.json"), json.dumps(hf_config(cfg), indent=2) + "\n")
    save_safetensors(os.path.join(d, "model.safetensors"), params, {"format": "pt"})
    write_atomic(os.path.join(d, "char_vocab.json"), json.dumps({"type": "char", "chars": "".join(chars), "unknown": None}) + "\n")
    write_atomic(os.path.join(d, "reference.json"), json.dumps({"n_positions": N_POSITIONS, "cases": cases}, indent=1) + "\n")
    print(f"fewshot: V {len(chars)}, float32 vs float64 {worst_f32:.1e}, smallest winning margin {worst_gap:.2e}")


if __name__ == "__main__":
    main()
