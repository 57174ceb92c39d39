#!/usr/bin/env bash
# Instruction tuning on a task anyone can check: two-digit addition. Writes the data (train and dev
# hold different problems), measures the base model's exact match (a plain "User: / Assistant:"
# transcript), instruction-tunes it, and measures again with the stored chat template.
#
#   tools/instructions/arithmetic_demo.sh BASE_MODEL_DIR [WORK_DIR]
#
# Extra finetune options can be given in FINETUNE_OPTS (default: the README's recipe).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base="${1:?usage: $0 BASE_MODEL_DIR [WORK_DIR]}"
work="${2:-runs/instruct-arithmetic}"
opts="${FINETUNE_OPTS:---epochs 5 --batch 16 --lr 1e-3}"
gpt4j="$root/gpt4j"
mkdir -p "$work"

"$gpt4j" make-instructions --task arithmetic --n 4000 --seed 1 --out "$work/train.jsonl"
"$gpt4j" make-instructions --task arithmetic --n 200 --split dev --seed 2 --out "$work/dev.jsonl"
echo "before:"
"$gpt4j" evaluate-instructions --model "$base" --data "$work/dev.jsonl" --json | tee "$work/before.json"
# shellcheck disable=SC2086
"$gpt4j" finetune --task instruction --model "$base" --train "$work/train.jsonl" --dev "$work/dev.jsonl" \
    --out "$work/model" --force --json $opts | tee "$work/finetune.jsonl"
echo "after:"
"$gpt4j" evaluate-instructions --model "$work/model/best" --data "$work/dev.jsonl" --json | tee "$work/after.json"
"$gpt4j" evaluate-instructions --model "$work/model/best" --data "$work/dev.jsonl" --show 8 | tail -n 8
