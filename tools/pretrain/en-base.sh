#!/usr/bin/env bash
# Reproduces models/en-base: the byte-level BPE, the pre-training run (resumable) and the bf16 export.
#
#   tools/pretrain/en-base.sh [RUN_DIR]     (default runs/en-base; ../shared/data must be beside the repo)
#
# Interrupt it at any time: run it again and `train --resume` continues from the last checkpoint
# (an exact resume: the same seed gives the same weights as an uninterrupted run). When the run
# has finished, its best checkpoint (lowest validation loss) is exported to models/en-base.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:-$root/runs/en-base}"
data="$root/../shared/data"
tok="$run-bpe8k"
corpus=("$data"/gutenberg_en/part-00{0,1,2,3}.txt "$data"/imdb_unsup_en/part-00{0,1,2,3,4,5}.txt)

if [ ! -f "$tok/vocab.json" ]; then
  "$root/gpt4j" tokenizer train --type bpe --vocab-size 8192 --out "$tok" --data "${corpus[@]}"
fi
if [ -f "$run/training_state.json" ]; then
  "$root/gpt4j" train --resume "$run" --data "${corpus[@]}"
else
  "$root/gpt4j" train --data "${corpus[@]}" --tokenizer "$tok" --out "$run" \
    --layers 6 --heads 8 --embd 256 --context 256 --batch 16 --steps 8000 --lr 1e-3 --min-lr 1e-4 \
    --warmup 200 --eval-every 500 --eval-batches 40 --seed 1
fi
"$root/gpt4j" export --model "$run/best" --out "$root/models/en-base" --dtype bf16 --force
