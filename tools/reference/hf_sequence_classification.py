#!/usr/bin/env python3
"""Does a directory written by `gpt4j finetune` load in Hugging Face transformers as
GPT2ForSequenceClassification, with the logits gpt4j computes?

    /work/venv-hf/bin/python tools/reference/hf_sequence_classification.py \
        --model core/src/test/resources/fixtures/finetune/hf-sequence-classification

Needs transformers + torch (a venv; CI never runs this). Reads the directory's config.json
(gpt4j_task: the added token ids), builds a few task sequences (start, text ids, [delim, ids,]
extract), runs them one at a time and as one right-padded batch (transformers finds each
sequence's last non-pad token through pad_token_id, i.e. the extract token), asserts both agree,
and writes <model>/hf_logits.json: {"transformers", "sequences", "logits"} for the Java test.
"""
import argparse, json, os
import torch
import transformers
from transformers import GPT2ForSequenceClassification

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--model", required=True)
args = ap.parse_args()
cfg = json.load(open(os.path.join(args.model, "config.json")))
task = cfg["gpt4j_task"]
model = GPT2ForSequenceClassification.from_pretrained(args.model).eval()
assert model.score.weight.shape == (len(cfg["id2label"]), cfg["n_embd"]), model.score.weight.shape
base = task["start_token_id"]                              # the added ids follow the base vocabulary
g = torch.Generator().manual_seed(7)
seqs = []
for n in (1, 4, 9, 17):
    s = [task["start_token_id"]] + torch.randint(base, (n,), generator=g).tolist()
    if task["format"] == "entailment": s += [task["delimiter_token_id"]] + torch.randint(base, (3,), generator=g).tolist()
    seqs.append(s + [task["extract_token_id"]])
with torch.no_grad():
    single = [model(torch.tensor([s])).logits[0] for s in seqs]
    T = max(len(s) for s in seqs); pad = cfg["pad_token_id"]
    batch = torch.tensor([s + [pad] * (T - len(s)) for s in seqs])
    batched = model(batch, attention_mask=(batch != pad).long()).logits
for a, b in zip(single, batched):
    assert (a - b).abs().max() < 1e-5, (a, b)
out = {"transformers": transformers.__version__, "sequences": seqs, "logits": [l.tolist() for l in single]}
with open(os.path.join(args.model, "hf_logits.json"), "w") as f: json.dump(out, f); f.write("\n")
print(f"GPT2ForSequenceClassification (transformers {transformers.__version__}) loaded {args.model}: "
      f"{len(seqs)} sequences, logits e.g. {[round(x, 5) for x in out['logits'][0]]}")
