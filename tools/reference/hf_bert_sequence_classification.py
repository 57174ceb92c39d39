#!/usr/bin/env python3
"""Does a BERT directory written by `gpt4j finetune` load in Hugging Face transformers, as the
BertForSequenceClassification its config.json names, with the logits gpt4j computes?

    /work/venv-hf/bin/python tools/reference/hf_bert_sequence_classification.py \
        --model core/src/test/resources/fixtures/bert-finetune/gpt4j-entailment

Needs transformers + torch (a venv; CI never runs this). Tokenises a few sentence pairs with
transformers' own BertTokenizer from the directory's vocab.txt ([CLS] a [SEP] b [SEP],
token_type_ids, padding with the attention mask), runs them as one batch and one at a time
(asserting both agree), and writes <model>/hf_logits.json: {"transformers", "pairs", "input_ids",
"logits"} for the Java test (which also checks gpt4j's tokenisation gives the same ids).
"""
import argparse, json, os
import torch
import transformers
from transformers import AutoModelForSequenceClassification, BertTokenizer

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--model", required=True)
args = ap.parse_args()
cfg = json.load(open(os.path.join(args.model, "config.json")))
model = AutoModelForSequenceClassification.from_pretrained(args.model).eval()
assert type(model).__name__ == "BertForSequenceClassification", type(model)
assert model.classifier.weight.shape == (len(cfg["id2label"]), cfg["hidden_size"]), model.classifier.weight.shape
tok = BertTokenizer.from_pretrained(args.model)
pairs = [["the film was good .", "it was good ."], ["a great plot .", "it was awful ."], ["the plot .", "it was a great film ."]]
enc = tok([a for a, _ in pairs], [b for _, b in pairs], padding=True, return_tensors="pt")
with torch.no_grad():
    batched = model(**enc).logits
    for i, (a, b) in enumerate(pairs):
        alone = model(**tok(a, b, return_tensors="pt")).logits[0]
        assert (alone - batched[i]).abs().max() < 1e-5, (alone, batched[i])
ids = [[int(x) for x, m in zip(row, mask) if m] for row, mask in zip(enc["input_ids"], enc["attention_mask"])]
out = {"transformers": transformers.__version__, "pairs": pairs, "input_ids": ids, "logits": batched.tolist()}
with open(os.path.join(args.model, "hf_logits.json"), "w") as f:
    json.dump(out, f)
    f.write("\n")
print(f"{type(model).__name__} (transformers {transformers.__version__}) loaded {args.model}: "
      f"logits e.g. {[round(x, 5) for x in out['logits'][0]]}")
