#!/usr/bin/env bash
# Reproduces models/en-base: the byte-level BPE, the three pre-training stages (each resumable) and
# the bf16 export.
#
#   tools/pretrain/en-base.sh [RUN_DIR]     (default runs/en-base; ../shared/data must be beside the repo)
#
# Stage 1 is the first 3,500 steps of an 8,000-step schedule (lr 1e-3, cosine to 1e-4), exported in
# bf16 as the first en-base shipped; stage 2 starts from that export with a schedule of its own
# (5,400 steps, lr 6e-4, cosine to 6e-5, other batches: seed 2), and stage 3 from stage 2's bf16
# export (3,000 steps, lr 3e-4, cosine to 3e-5, seed 3). Interrupt it at any time: run it again
# and `train --resume` continues the stage from its last checkpoint (an exact resume: the same
# losses as an uninterrupted run). At the end the best checkpoint of stage 3 (lowest validation
# loss) is exported to models/en-base.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:-$root/runs/en-base}"
data="$root/../shared/data"
tok="$run-bpe8k"
stage1="$run-stage1"
stage1_model="$run-stage1-bf16"
stage2="$run-stage2"
stage2_model="$run-stage2-bf16"
stage3="$run-stage3"
corpus=("$data"/gutenberg_en/part-00{0,1,2,3}.txt "$data"/imdb_unsup_en/part-00{0,1,2,3,4,5}.txt)

# The step a run directory's last checkpoint holds (0 without one).
step_of() {
  if [ -f "$1/training_state.json" ]; then
    grep -o '"step" *: *[0-9]*' "$1/training_state.json" | head -1 | grep -o '[0-9]*$'
  else
    echo 0
  fi
}

if [ ! -f "$tok/vocab.json" ]; then
  "$root/gpt4j" tokenizer train --type bpe --vocab-size 8192 --out "$tok" --data "${corpus[@]}"
fi

if [ ! -f "$stage1_model/model.safetensors" ]; then
  if [ ! -f "$stage1/training_state.json" ]; then
    "$root/gpt4j" train --data "${corpus[@]}" --tokenizer "$tok" --out "$stage1" \
      --layers 6 --heads 8 --embd 256 --context 256 --batch 16 --steps 8000 --lr 1e-3 --min-lr 1e-4 \
      --warmup 200 --eval-every 500 --eval-batches 40 --seed 1 --stop-after 3500
  elif [ "$(step_of "$stage1")" -lt 3500 ]; then
    "$root/gpt4j" train --resume "$stage1" --data "${corpus[@]}" --stop-after 3500
  fi
  "$root/gpt4j" export --model "$stage1/best" --out "$stage1_model" --dtype bf16 --force
fi

# A stage that starts from a bf16 export with a schedule of its own: begun, resumed, or (when
# finished) left as it is. Arguments: the export, the run directory, steps, lr, min lr, seed,
# evaluation interval.
continue_from() {
  local init=$1 out=$2 steps=$3 lr=$4 min_lr=$5 seed=$6 every=$7
  if [ ! -f "$out/training_state.json" ]; then
    "$root/gpt4j" train --init-from "$init" --data "${corpus[@]}" --out "$out" \
      --context 256 --batch 16 --steps "$steps" --lr "$lr" --min-lr "$min_lr" --warmup 100 \
      --eval-every "$every" --eval-batches 40 --seed "$seed"
  elif [ "$(step_of "$out")" -lt "$steps" ]; then
    "$root/gpt4j" train --resume "$out" --data "${corpus[@]}"
  fi
}

continue_from "$stage1_model" "$stage2" 5400 6e-4 6e-5 2 600
if [ ! -f "$stage2_model/model.safetensors" ]; then
  "$root/gpt4j" export --model "$stage2/best" --out "$stage2_model" --dtype bf16 --force
fi
continue_from "$stage2_model" "$stage3" 3000 3e-4 3e-5 3 500
"$root/gpt4j" export --model "$stage3/best" --out "$root/models/en-base" --dtype bf16 --force
