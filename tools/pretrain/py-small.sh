#!/usr/bin/env bash
# Reproduces models/py-small: the decontaminated Python corpus, the code tokenizer (runs of spaces
# one token), the pre-training run (resumable) and the bf16 export.
#
#   tools/pretrain/py-small.sh [RUN_DIR]     (default runs/py-small; ../shared/data must be beside the repo)
#
# Two stages, as the shipped model was made. Stage 1 is the planned 3,000-step run; the published one
# was stopped (Ctrl-C, which saves a checkpoint) after step 2,082, when a session ended, so its
# best/ held step 2,000: stop it there too to reproduce the shipped weights, or let it run on.
# Stage 2 continues from stage 1's best/ for 1,000 steps with a fresh optimiser (lr 3.5e-4, about
# where stage 1's cosine stood at step 2,000, down to 1e-4). Interrupt either at any time: run the
# script again and `train --resume` continues the stage in progress. The best checkpoint of stage 2
# (lowest validation loss) goes to models/py-small.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:-$root/runs/py-small}"
data="$root/../shared/data"
clean="$run-data"
tok="$run-bpe8k"

if [ ! -f "$clean/removed.tsv" ]; then
  # Every source file sharing a 13-gram with a HumanEval or MBPP problem is left out (see the script).
  python3 "$root/tools/data/decontaminate_code.py" "$clean" "$data"/python_code/part-00{0,1,2}.txt \
    --problems "$data/code_eval/HumanEval.jsonl" "$data/code_eval/mbpp.jsonl"
fi
corpus=("$clean"/part-*.txt)
if [ ! -f "$tok/vocab.json" ]; then
  "$root/gpt4j" tokenizer train --code --vocab-size 8192 --out "$tok" --data "${corpus[@]}"
fi
cont="$run-cont"
# the step a run directory's last checkpoint holds (0 without one)
step_of() {
  sed -n 's/^ *"step" : \([0-9]*\).*/\1/p' "$1/checkpoint.json" 2>/dev/null | head -n 1 | grep . || echo 0
}
if [ ! -f "$run-stage1/config.json" ]; then
  # stage 1, then its best checkpoint in bf16, as it was shipped then
  if [ "$(step_of "$run")" -eq 0 ]; then
    "$root/gpt4j" train --data "${corpus[@]}" --tokenizer "$tok" --out "$run" \
      --layers 6 --heads 8 --embd 256 --context 512 --batch 8 --steps 3000 --lr 1e-3 --min-lr 1e-4 \
      --warmup 150 --dropout 0.1 --eval-every 250 --eval-batches 40 --seed 1
  elif [ "$(step_of "$run")" -lt 3000 ]; then
    "$root/gpt4j" train --resume "$run" --data "${corpus[@]}"
  fi
  "$root/gpt4j" export --model "$run/best" --out "$run-stage1" --dtype bf16 --force
fi
# stage 2
if [ "$(step_of "$cont")" -eq 0 ]; then
  "$root/gpt4j" train --init-from "$run-stage1" --data "${corpus[@]}" --out "$cont" --force \
    --context 512 --batch 8 --steps 1000 --lr 3.5e-4 --min-lr 1e-4 --warmup 20 --dropout 0.1 \
    --eval-every 250 --eval-batches 40 --seed 2
elif [ "$(step_of "$cont")" -lt 1000 ]; then
  "$root/gpt4j" train --resume "$cont" --data "${corpus[@]}"
fi
"$root/gpt4j" export --model "$cont/best" --out "$root/models/py-small" --dtype bf16 --force
