#!/usr/bin/env python3
"""Split a JSON Lines task file into train.jsonl and dev.jsonl, reproducibly.

    python3 tools/data/split_dev.py --in ../shared/data/xcopa-zh/val.zh-gmt-en.jsonl --dev 30 --seed 1 --out runs/xcopa-en
    python3 tools/data/split_dev.py --in ../shared/data/xcopa-zh/val.zh.jsonl        --dev 30 --seed 1 --out runs/xcopa-zh

For sets that ship one labelled split only (XCOPA's 100-item validation split: its test split is
held out). Rows are ordered by their "idx" field when every row has one (else by line), shuffled
with Python's random.Random(seed) and the first --dev rows become dev.jsonl, the rest train.jsonl,
each in the original order and byte for byte as in the input. XCOPA's Chinese file and its English
translation share idx, so the same --seed gives the same items in both. Python 3 standard library
only; files are written whole (temporary file, then rename).
"""
import argparse, collections, hashlib, json, os, random, sys


def write(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.writelines(lines)
    os.replace(tmp, path)
    return hashlib.sha256(b"".join(lines)).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--in", dest="src", required=True, help="the JSONL file to split")
    ap.add_argument("--dev", type=int, required=True, help="rows for dev.jsonl; the rest go to train.jsonl")
    ap.add_argument("--seed", type=int, default=1, help="seed of the shuffle (default 1)")
    ap.add_argument("--out", required=True, help="directory for train.jsonl and dev.jsonl")
    a = ap.parse_args()
    with open(a.src, "rb") as f:
        lines = [l if l.endswith(b"\n") else l + b"\n" for l in f if l.strip()]
    rows = []
    for n, l in enumerate(lines, 1):
        try:
            rows.append(json.loads(l))
        except ValueError as e:
            sys.exit(f"{a.src}:{n}: not valid JSON ({e})")
    if not 0 < a.dev < len(rows):
        sys.exit(f"--dev must be between 1 and {len(rows) - 1} (the file has {len(rows)} rows), got {a.dev}")
    by_idx = all(isinstance(r, dict) and isinstance(r.get("idx"), int) for r in rows)
    order = sorted(range(len(rows)), key=(lambda i: rows[i]["idx"]) if by_idx else (lambda i: i))
    random.Random(a.seed).shuffle(order)
    dev = set(order[:a.dev])
    os.makedirs(a.out, exist_ok=True)
    for name, keep in (("train.jsonl", lambda i: i not in dev), ("dev.jsonl", lambda i: i in dev)):
        chosen = [i for i in range(len(rows)) if keep(i)]
        digest = write(os.path.join(a.out, name), [lines[i] for i in chosen])
        labels = collections.Counter(str(rows[i].get("label")) for i in chosen if isinstance(rows[i], dict))
        print(f"{os.path.join(a.out, name)}: {len(chosen)} rows, labels {dict(sorted(labels.items()))}, sha256 {digest}")


if __name__ == "__main__":
    main()
