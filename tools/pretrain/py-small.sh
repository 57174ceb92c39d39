#!/usr/bin/env bash
# Reproduces models/py-small: the decontaminated Python corpus, the code tokenizer (runs of spaces
# one token), the pre-training run (resumable) and the bf16 export.
#
#   tools/pretrain/py-small.sh [RUN_DIR]     (default runs/py-small; ../shared/data must be beside the repo)
#
# Interrupt it at any time: run it again and `train --resume` continues from the last checkpoint.
# When the run has finished, its best checkpoint (lowest validation loss) goes to models/py-small.
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
if [ -f "$run/checkpoint.json" ] || [ -f "$run/training_state.json" ]; then
  "$root/gpt4j" train --resume "$run" --data "${corpus[@]}"
else
  "$root/gpt4j" train --data "${corpus[@]}" --tokenizer "$tok" --out "$run" \
    --layers 6 --heads 8 --embd 256 --context 512 --batch 8 --steps 3000 --lr 1e-3 --min-lr 1e-4 \
    --warmup 150 --dropout 0.1 --eval-every 250 --eval-batches 40 --seed 1
fi
"$root/gpt4j" export --model "$run/best" --out "$root/models/py-small" --dtype bf16 --force
