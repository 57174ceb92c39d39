#!/usr/bin/env python3
"""The judge of the positive-review bot (README, RL section): the fraction of continuations that a
classifier other than the reward calls positive. Reads the pairs of `gpt4j rl compare`, writes
the before and after texts (prompt + response, lower-cased as SST-2 is) as SST-2 style TSVs all
labelled 1, and scores them with `gpt4j baseline` (multinomial Naive Bayes trained on SST-2): its
accuracy on texts labelled positive is the fraction it judges positive.

    tools/rl/judge.py --pairs /work/runs/rl-lm/compare.jsonl [--sst2 ../shared/data/sst2]
"""
import argparse
import json
import os
import subprocess

p = argparse.ArgumentParser()
p.add_argument("--pairs", required=True)
p.add_argument("--sst2", default="../shared/data/sst2")
p.add_argument("--gpt4j", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "gpt4j"))
a = p.parse_args()

pairs = [json.loads(line) for line in open(a.pairs, encoding="utf-8") if line.strip()]
result = {"n": len(pairs)}
for side in ("before", "after"):
    tsv = os.path.splitext(a.pairs)[0] + "." + side + ".tsv"
    with open(tsv, "w", encoding="utf-8") as f:
        f.write("sentence\tlabel\n")
        for pair in pairs:
            text = " ".join((pair["prompt"] + pair[side]).split()).replace("\t", " ").lower()
            f.write(text + "\t1\n")
    out = subprocess.run([a.gpt4j, "baseline", "--train", os.path.join(a.sst2, "sst2.train.tsv"), "--data", tsv,
                          "--json"], check=True, capture_output=True, text=True).stdout
    result[side + "_positive_fraction"] = json.loads(out)["accuracy"]
    result[side + "_mean_score"] = sum(x[side + "_score"] for x in pairs) / len(pairs)
print(json.dumps(result))
