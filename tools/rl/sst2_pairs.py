#!/usr/bin/env python3
"""Writes comparisons for a reward model from SST-2's labels (README, RL section: the positive-review
bot's second reward). Each line is {"prompt", "chosen", "rejected"}: a PPO prompt (the opening words
of an IMDB review, from tools/rl/imdb_prompts.py), a positive SST-2 sentence as the chosen
continuation and a negative one as the rejected, so the reward model learns what the SST-2
classifier knows, in InstructGPT's pairwise form, on inputs shaped as PPO will score them.

SST-2 is lower-cased and tokenised as the Penn Treebank was ("it 's", "ca n't", "-lrb-"); the
sentences are detokenised first (GPT-2 section 3.1 does the same before scoring such text), since
what the policy writes is ordinary English. Every positive sentence is used once, each with a
negative sentence and a prompt drawn by the seed.

    tools/rl/sst2_pairs.py --sst2 ../shared/data/sst2/sst2.train.tsv --prompts runs/prompts.txt --out runs/pairs.jsonl
    tools/rl/sst2_pairs.py --sst2 ../shared/data/sst2/sst2.dev.tsv --prompts runs/eval-prompts.txt --out runs/pairs-dev.jsonl
"""
import argparse
import json
import random
import re


def detokenize(s):
    """Undoes SST-2's Penn Treebank tokenisation: clitics, punctuation, quotes and brackets."""
    s = s.replace("-lrb-", "(").replace("-rrb-", ")")
    s = re.sub(r"`` ?", '"', s)
    s = re.sub(r" ?''", '"', s)
    s = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", s)
    s = re.sub(r" ([.,;:!?%)])", r"\1", s)
    s = re.sub(r"\( ", "(", s)
    s = re.sub(r"` (.*?) '", r"'\1'", s)
    s = re.sub(r"\$ (\d)", r"$\1", s)
    return s


p = argparse.ArgumentParser()
p.add_argument("--sst2", required=True, help="an SST-2 TSV file (sentence<TAB>label, with a header row)")
p.add_argument("--prompts", required=True, help="one prompt per line (tools/rl/imdb_prompts.py)")
p.add_argument("--out", required=True)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()

positive, negative = [], []
with open(a.sst2, encoding="utf-8") as f:
    header = f.readline().rstrip("\n").split("\t")
    text, label = header.index("sentence"), header.index("label")
    for n, line in enumerate(f, start=2):
        fields = line.rstrip("\n").split("\t")
        if len(fields) != len(header):
            raise SystemExit(f"{a.sst2}:{n}: expected {len(header)} fields, got {len(fields)}")
        (positive if fields[label] == "1" else negative).append(detokenize(fields[text]))
with open(a.prompts, encoding="utf-8") as f:
    prompts = [line.rstrip("\n") for line in f if line.strip()]
if not positive or not negative or not prompts:
    raise SystemExit("need positive and negative sentences and at least one prompt")

rng = random.Random(a.seed)
with open(a.out, "w", encoding="utf-8") as f:
    for chosen in positive:
        f.write(json.dumps({"prompt": rng.choice(prompts), "chosen": " " + chosen,
                            "rejected": " " + rng.choice(negative)}, ensure_ascii=False) + "\n")
print(f"{a.out}: {len(positive)} comparisons ({len(negative)} negative sentences, {len(prompts)} prompts)")
