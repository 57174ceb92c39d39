#!/usr/bin/env python3
"""Removes from a code corpus every source file that shares a 13-gram with an evaluation problem.

    tools/data/decontaminate_code.py OUT_DIR CORPUS_PART... --problems HumanEval.jsonl mbpp.jsonl

The corpus is ../shared/data/python_code's format: each source file starts with a line
`# ---- file: <path> ----`. A problem's text is its prompt and reference solution (HumanEval:
prompt + canonical_solution; MBPP: text + code + tests). Both sides are cut into word and
punctuation tokens (regex \\w+|[^\\w\\s]), so whitespace and layout do not hide a copy; a file
that holds any 13 consecutive tokens of any problem is left out whole, as GPT-3's contamination
analysis used 13-grams. Writes OUT_DIR/part-NNN.txt (the kept files, in order) and
OUT_DIR/removed.tsv (path, problem, the shared 13-gram), and prints a summary.
"""
import argparse
import json
import os
import re
import sys

N = 13
TOKEN = re.compile(r"\w+|[^\w\s]")
HEADER = re.compile(r"^# ---- file: (.*) ----$", re.M)


def grams(text):
    t = TOKEN.findall(text)
    return {tuple(t[i:i + N]) for i in range(len(t) - N + 1)}


def problems(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                p = json.loads(line)
                if "entry_point" in p:
                    yield str(p["task_id"]), p["prompt"] + p.get("canonical_solution", "")
                else:
                    yield str(p["task_id"]), p["text"] + "\n" + p.get("code", "") + "\n" + "\n".join(p["test_list"])


def files(parts):
    for part in parts:
        with open(part, encoding="utf-8") as f:
            text = f.read()
        starts = [m.start() for m in HEADER.finditer(text)]
        for i, s in enumerate(starts):
            chunk = text[s:starts[i + 1] if i + 1 < len(starts) else len(text)]
            yield HEADER.match(chunk).group(1), chunk


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("parts", nargs="+")
    ap.add_argument("--problems", nargs="+", required=True)
    ap.add_argument("--part-bytes", type=int, default=4_000_000)
    a = ap.parse_args()
    index = {}
    for task, text in problems(a.problems):
        for g in grams(text):
            index.setdefault(g, task)
    os.makedirs(a.out, exist_ok=True)
    kept, removed, kept_bytes, part, size = 0, [], 0, 0, 0
    out = open(os.path.join(a.out, "part-000.txt"), "w", encoding="utf-8")
    for path, chunk in files(a.parts):
        hit = next(((g, index[g]) for g in grams(chunk) if g in index), None)
        if hit:
            removed.append((path, hit[1], " ".join(hit[0])))
            continue
        if size and size + len(chunk.encode()) > a.part_bytes:
            out.close()
            part += 1
            size = 0
            out = open(os.path.join(a.out, "part-%03d.txt" % part), "w", encoding="utf-8")
        out.write(chunk)
        size += len(chunk.encode())
        kept += 1
        kept_bytes += len(chunk.encode())
    out.close()
    with open(os.path.join(a.out, "removed.tsv"), "w", encoding="utf-8") as f:
        f.write("path\tproblem\tshared 13-gram\n")
        for r in removed:
            f.write("\t".join(x.replace("\t", " ").replace("\n", " ") for x in r) + "\n")
    print("kept %d files (%d bytes) in %d parts; removed %d files sharing a %d-gram with %d problems (see removed.tsv)"
          % (kept, kept_bytes, part + 1, len(removed), N, len({r[1] for r in removed})))


if __name__ == "__main__":
    sys.exit(main())
