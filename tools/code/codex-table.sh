#!/usr/bin/env bash
# The README's Codex table for a code model: HumanEval and MBPP (test split) pass@k in the sandbox,
# greedy and sampled, and the Codex-S row (the model fine-tuned on MBPP's train solutions).
#
#   tools/code/codex-table.sh [--model DIR|NAME] [--out DIR] [--n N] [--n-mbpp N] [--steps-s N] [--skip-s]
#
# Writes every samples file, its per-sample results and each pass@k JSON under OUT (default
# runs/codex-table), then prints the table's figures. Steps whose JSON is already in OUT are
# skipped, so an interrupted run resumes. N (default 100) is the samples per HumanEval problem at
# temperature 0.8 (pass@1/10/100 need N >= 100; Codex used 200), --n-mbpp (default 20) per MBPP
# test problem (pass@1/10). ../shared/data must be beside the repository.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model=py-small
out="$root/runs/codex-table"
n=100
n_mbpp=20
steps_s=60
skip_s=""
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --n) n="$2"; shift 2 ;;
    --n-mbpp) n_mbpp="$2"; shift 2 ;;
    --steps-s) steps_s="$2"; shift 2 ;;
    --skip-s) skip_s=yes; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "codex-table.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
data="$root/../shared/data/code_eval"
he="$data/HumanEval.jsonl"
mbpp="$data/mbpp.jsonl"
gpt4j="$root/gpt4j"
mkdir -p "$out"

# name model problems k generate-args...: samples, then the sandbox, unless name.json exists
run() {
  local name="$1" m="$2" problems="$3" k="$4"
  shift 4
  if [ -s "$out/$name.json" ]; then
    return
  fi
  echo "== $name" >&2
  local start=$SECONDS
  "$gpt4j" code generate --model "$m" --problems "$problems" --out "$out/$name.jsonl" "$@"
  echo "generation: $((SECONDS - start)) s" >&2
  "$gpt4j" code eval --problems "$problems" --samples "$out/$name.jsonl" --k "$k" --json \
    | tail -n 1 > "$out/$name.json"
  cat "$out/$name.json" >&2
}

run humaneval-greedy "$model" "$he" 1 --n 1 --temperature 0 --max-tokens 128
run mbpp-test-greedy "$model" "$mbpp" 1 --split test --n 1 --temperature 0 --max-tokens 128
if [ -z "$skip_s" ]; then
  # Codex-S: the prompts and reference solutions of MBPP's train split as a text to train on
  if [ ! -f "$out/codex-s/model.safetensors" ]; then
    "$gpt4j" code text --problems "$mbpp" --split train --out "$out/mbpp-train.txt" --force
    "$gpt4j" train --init-from "$model" --data "$out/mbpp-train.txt" --out "$out/codex-s-run" --force \
      --batch 8 --steps "$steps_s" --lr 3e-4 --min-lr 3e-5 --warmup 6 --eval-every 20 --seed 1
    "$gpt4j" export --model "$out/codex-s-run/best" --out "$out/codex-s" --dtype bf16 --force
  fi
  run codex-s-mbpp-test-greedy "$out/codex-s" "$mbpp" 1 --split test --n 1 --temperature 0 --max-tokens 128
fi
run humaneval-t0.8-n$n "$model" "$he" 1,10,100 --n "$n" --temperature 0.8 --top-p 0.95 --max-tokens 128
run mbpp-test-t0.8-n$n_mbpp "$model" "$mbpp" 1,10,100 --split test --n "$n_mbpp" --temperature 0.8 --top-p 0.95 \
  --max-tokens 128
# pass@k, and the share of samples that are Python (no SyntaxError, IndentationError or TabError)
for f in "$out"/*.json; do
  name="$(basename "$f" .json)"
  python3 - "$out/${name}_results.jsonl" "$name" "$(cat "$f")" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
bad = ("failed: SyntaxError", "failed: IndentationError", "failed: TabError")
parsed = sum(not r["result"].startswith(bad) for r in rows)
print(f"{sys.argv[2]}: {sys.argv[3]}  compile {parsed}/{len(rows)} = {100 * parsed / len(rows):.0f}%")
PY
done
