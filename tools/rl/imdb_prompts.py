#!/usr/bin/env python3
"""Writes PPO prompts for the positive-review bot (README, RL section): the first 2-6 words
(about 2-8 BPE tokens, TRL's LengthSampler(2, 8)) of IMDB reviews that en-base held out for
validation (the last reviews of imdb_unsup_en/part-005.txt, see models/en-base/MODEL_CARD.md).

IMDB text is research data and is not committed: this runs at demonstration time and writes the
prompts outside the repository.

    tools/rl/imdb_prompts.py --out /work/runs/rl-lm/prompts.txt [--count 512] [--seed 1]
    tools/rl/imdb_prompts.py --out /work/runs/rl-lm/eval-prompts.txt --count 128 --skip 512   (held out from PPO too)
"""
import argparse
import random
import re

p = argparse.ArgumentParser()
p.add_argument("--data", default="../shared/data/imdb_unsup_en/part-005.txt")
p.add_argument("--out", required=True)
p.add_argument("--count", type=int, default=512)
p.add_argument("--skip", type=int, default=0, help="leave out the last N reviews (e.g. the training prompts)")
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()

with open(a.data, encoding="utf-8") as f:
    reviews = [line.strip() for line in f if line.strip()]
# the last 10% of the corpus was en-base's validation text: take reviews from the end
held_out = reviews[len(reviews) - a.skip - a.count:len(reviews) - a.skip]
rng = random.Random(a.seed)
with open(a.out, "w", encoding="utf-8") as f:
    for review in held_out:
        words = re.sub(r"<br\s*/?>", " ", review).split()
        f.write(" ".join(words[: rng.randint(2, 6)]) + "\n")
