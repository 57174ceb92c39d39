#!/usr/bin/env python3
"""A BertForSequenceClassification directory as transformers writes one (a classifier fine-tuned
elsewhere: no pre-training heads, no gpt4j_task block), with the logits transformers gives, for
gpt4j's loader to be checked against.

    /work/venv-hf/bin/python tools/reference/hf_bert_classifier_fixture.py \
        --out core/src/test/resources/fixtures/bert-finetune/hf-classifier

Needs transformers + torch (a venv; CI never runs this). The model is random (seeded; weights std
0.3 so the logits differ clearly between inputs), 2 layers, 16 wide, 3 labels with names, and a
20-token vocab.txt; save_pretrained writes config.json and model.safetensors, BertTokenizer
writes vocab.txt and tokenizer_config.json. hf_logits.json holds {"transformers", "texts",
"pairs", "input_ids", "logits"}: single texts and sentence pairs, tokenised by BertTokenizer and
run one at a time.
"""
import argparse, json, os
import torch
import transformers
from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--out", required=True)
args = ap.parse_args()
torch.manual_seed(4321)
os.makedirs(args.out, exist_ok=True)
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "film", "was", "good", "bad", "great", "awful", "a",
         "plot", ".", "it", "not", "##s", "actor", "story"]
with open(os.path.join(args.out, "vocab.txt"), "w") as f:
    f.write("\n".join(vocab) + "\n")
tok = BertTokenizer(os.path.join(args.out, "vocab.txt"), do_lower_case=True)
tok.save_pretrained(args.out)
config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
                    max_position_embeddings=32, initializer_range=0.3, num_labels=3,
                    id2label={0: "negative", 1: "neutral", 2: "positive"},
                    label2id={"negative": 0, "neutral": 1, "positive": 2})
model = BertForSequenceClassification(config).eval()
model.save_pretrained(args.out)
texts = ["The film was good.", "it was not great", "a bad plot, awful actors"]
pairs = [["the film was good .", "it was great ."], ["a bad story", "the plot was good"]]
ids, logits = [], []
with torch.no_grad():
    for enc in [tok(t, return_tensors="pt") for t in texts] + [tok(a, b, return_tensors="pt") for a, b in pairs]:
        ids.append(enc["input_ids"][0].tolist())
        logits.append(model(**enc).logits[0].tolist())
with open(os.path.join(args.out, "hf_logits.json"), "w") as f:
    json.dump({"transformers": transformers.__version__, "texts": texts, "pairs": pairs, "input_ids": ids,
               "logits": logits}, f)
    f.write("\n")
print(f"transformers {transformers.__version__}: wrote {args.out}: {sorted(os.listdir(args.out))}")
