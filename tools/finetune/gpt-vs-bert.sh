#!/usr/bin/env bash
# GPT-1 against BERT on the same data, size and steps: pre-trains a GPT (en-base's shape and BPE)
# and a BERT (the same shape, a WordPiece vocabulary of the same size learnt from the same text)
# for STEPS steps of 16 x 256 tokens on en-base's corpus, then fine-tunes each on SST-2 and RTE
# with its own default recipe. The README's GPT-1 vs BERT table comes from this script.
#
#   tools/finetune/gpt-vs-bert.sh [RUN_DIR] [STEPS]     (default runs/gpt-vs-bert, 500 steps)
#
# Each run is resumable: run the script again and `train --resume` continues an unfinished
# pre-training; finished fine-tunes are skipped. The README's runs ran the two pre-trainings side
# by side, one core each (GPT4J_JAVA_OPTS=-Dgpt4j.threads=1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:-$root/runs/gpt-vs-bert}"
steps="${2:-500}"
data="$root/../shared/data"
corpus=("$data"/gutenberg_en/part-00{0,1,2,3}.txt "$data"/imdb_unsup_en/part-00{0,1,2,3,4,5}.txt)
shape=(--layers 6 --heads 8 --embd 256 --context 256 --batch 16 --steps "$steps" --lr 1e-3 --min-lr 1e-4
  --warmup $((steps / 10)) --eval-every $((steps / 2)) --eval-batches 40 --seed 1)
mkdir -p "$run"

if [ ! -f "$run/wordpiece8k/vocab.txt" ]; then
  "$root/gpt4j" tokenizer train --type wordpiece --vocab-size 8192 --out "$run/wordpiece8k" --data "${corpus[@]}"
fi
pretrain() {  # NAME ARGS...: a fresh run, or the unfinished one resumed
  local name=$1; shift
  if [ -f "$run/$name/training_state.json" ]; then
    "$root/gpt4j" train --resume "$run/$name" --data "${corpus[@]}"
  else
    "$root/gpt4j" train --data "${corpus[@]}" --out "$run/$name" "${shape[@]}" "$@"
  fi
}
pretrain gpt --tokenizer "$root/models/en-base"
pretrain bert --arch bert --tokenizer "$run/wordpiece8k"

for base in gpt bert; do
  for task in sst2 rte; do
    out="$run/$base-$task"
    [ -f "$out/best/config.json" ] && continue
    if [ $task = sst2 ]; then
      files=(--task classification --train "$data/sst2/sst2.train.tsv" --dev "$data/sst2/sst2.dev.tsv")
    else
      files=(--task entailment --train "$data/rte/rte_resplit.train.tsv" --dev "$data/rte/rte_resplit.dev.tsv")
    fi
    "$root/gpt4j" finetune --model "$run/$base/best" "${files[@]}" --out "$out" --force --json | tail -1
  done
done
