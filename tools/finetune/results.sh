#!/usr/bin/env bash
# The README's fine-tuning results table: every (task, variant, seed) run of `gpt4j finetune` on the
# dev sets, appended to RESULTS (JSON lines) as it finishes, then summarised as mean +- sd.
#
#   tools/finetune/results.sh [--base DIR|NAME] [--data DIR] [--runs DIR] [--seeds "1 2 3"]
#                             [--tasks "sst2 trec rte ..."] [--variants "pre pre-lm0 scratch lora"]
#   tools/finetune/results.sh --summary [--runs DIR]
#
# Runs already in RESULTS are skipped, so an interrupted table resumes where it stopped. Variants:
#   pre      the base model fine-tuned, auxiliary LM loss lambda 0.5 (GPT-1's recipe)
#   pre-lm0  the same without the auxiliary loss (--lm-weight 0)
#   scratch  a random GPT of the base's shape and tokenizer, same recipe (--from-scratch)
#   lora     LoRA adapters (--lora-rank 8) on the frozen base
#   nb       the bag-of-words Naive Bayes baseline (gpt4j baseline; one run, no seed; not for the
#            multiple-choice XCOPA, where chance is 50%)
# Tasks: sst2, trec, rte, chnsenticorp, xcopa-en, xcopa-zh. Data splits: the sets come with train
# and dev only (their test splits are held out); TREC has no dev split, so the last 500 lines of its
# train file are held out as dev (a fixed split, written under RUNS/splits/); XCOPA ships only its
# 100-item validation split, cut by tools/data/split_dev.py into 70 train and 30 dev items (seed 1;
# the Chinese file and its English translation get the same items), fine-tuned with --batch 8.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base=en-base
data="$root/../shared/data"
runs="$root/runs/finetune-results"
seeds="1 2 3"
tasks="sst2 trec rte chnsenticorp"
variants="nb pre pre-lm0 scratch lora"
summary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    --variants) variants="$2"; shift 2 ;;
    --summary) summary=yes; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "results.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$runs"
results="$runs/results.jsonl"
touch "$results"

# name -> "task train dev extra-args"
spec() {
  case "$1" in
    sst2) echo "classification $data/sst2/sst2.train.tsv $data/sst2/sst2.dev.tsv" ;;
    trec) split_trec; echo "classification $runs/splits/trec.train.tsv $runs/splits/trec.dev.tsv --label-column label_name" ;;
    rte) echo "entailment $data/rte/rte_resplit.train.tsv $data/rte/rte_resplit.dev.tsv" ;;
    chnsenticorp) echo "classification $data/chinese-sentiment/chnsenticorp_htl.train.tsv $data/chinese-sentiment/chnsenticorp_htl.dev.tsv" ;;
    xcopa-en) split_xcopa en val.zh-gmt-en.jsonl
      echo "multiple-choice $runs/splits/xcopa-en/train.jsonl $runs/splits/xcopa-en/dev.jsonl --batch 8" ;;
    xcopa-zh) split_xcopa zh val.zh.jsonl
      echo "multiple-choice $runs/splits/xcopa-zh/train.jsonl $runs/splits/xcopa-zh/dev.jsonl --batch 8 --question-prompt cause=原因是什么？ --question-prompt effect=结果是什么？" ;;
    *) echo "results.sh: unknown task $1 (sst2, trec, rte, chnsenticorp, xcopa-en, xcopa-zh)" >&2; exit 2 ;;
  esac
}

split_trec() {
  mkdir -p "$runs/splits"
  local f="$data/trec/trec.train.tsv" n
  if [ ! -f "$runs/splits/trec.dev.tsv" ]; then
    n=$(wc -l < "$f")
    head -n $((n - 500)) "$f" > "$runs/splits/trec.train.tsv"
    { head -n 1 "$f"; tail -n 500 "$f"; } > "$runs/splits/trec.dev.tsv"
  fi
}

split_xcopa() {  # LANG FILE: the fixed 70 / 30 split of XCOPA's validation file
  if [ ! -f "$runs/splits/xcopa-$1/dev.jsonl" ]; then
    python3 "$root/tools/data/split_dev.py" --in "$data/xcopa-zh/$2" --dev 30 --seed 1 \
      --out "$runs/splits/xcopa-$1" > /dev/null
  fi
}

summarise() {
  echo "| task | variant | dev accuracy (mean ± sd) | seeds | minutes per run |"
  echo "|---|---|---|---|---|"
  awk '
    { t = v = ""; a = s = ""
      if (match($0, /"name":"[^"]*"/)) t = substr($0, RSTART + 8, RLENGTH - 9)
      if (match($0, /"variant":"[^"]*"/)) v = substr($0, RSTART + 11, RLENGTH - 12)
      if (match($0, /"dev_accuracy":[0-9.eE-]+/)) a = substr($0, RSTART + 15, RLENGTH - 15)
      if (match($0, /"seconds":[0-9.eE-]+/)) s = substr($0, RSTART + 10, RLENGTH - 10)
      if (t == "" || a == "") next
      k = t "|" v; if (!(k in n)) order[++keys] = k
      n[k]++; sum[k] += a; sq[k] += a * a; sec[k] += s }
    END { for (i = 1; i <= keys; i++) { k = order[i]; m = sum[k] / n[k]
            sd = n[k] > 1 ? sqrt((sq[k] - n[k] * m * m) / (n[k] - 1)) : 0; if (sd != sd) sd = 0
            split(k, p, "|")
            printf "| %s | %s | %.1f ± %.1f | %d | %.1f |\n", p[1], p[2], 100 * m, 100 * sd, n[k], sec[k] / n[k] / 60 } }
  ' "$results"
}

if [ -n "$summary" ]; then
  summarise
  exit 0
fi

for name in $tasks; do
  read -r task train dev extra <<< "$(spec "$name")"
  [ -n "$task" ] || exit 2
  for variant in $variants; do
    for seed in $seeds; do
      [ "$variant" = nb ] && seed=0
      if [ "$variant" = nb ] && [ "$task" = multiple-choice ]; then
        break
      fi
      key="\"name\":\"$name\",\"variant\":\"$variant\",\"seed\":$seed"
      if grep -qF "$key" "$results"; then
        continue
      fi
      out="$runs/$name-$variant-$seed"
      echo "== $name $variant seed $seed" >&2
      case "$variant" in
        nb) line=$("$root/gpt4j" baseline --task "$task" --train "$train" --data "$dev" $extra --json | tail -n 1)
            line="${line/\"accuracy\"/\"dev_accuracy\"}" ;;
        pre) line=$("$root/gpt4j" finetune --task "$task" --model "$base" --train "$train" --dev "$dev" --out "$out" --force --seed "$seed" $extra --json | tail -n 1) ;;
        pre-lm0) line=$("$root/gpt4j" finetune --task "$task" --model "$base" --train "$train" --dev "$dev" --out "$out" --force --seed "$seed" --lm-weight 0 $extra --json | tail -n 1) ;;
        scratch) line=$("$root/gpt4j" finetune --task "$task" --model "$base" --train "$train" --dev "$dev" --out "$out" --force --seed "$seed" --from-scratch $extra --json | tail -n 1) ;;
        lora) line=$("$root/gpt4j" finetune --task "$task" --model "$base" --train "$train" --dev "$dev" --out "$out" --force --seed "$seed" --lora-rank 8 $extra --json | tail -n 1) ;;
        *) echo "results.sh: unknown variant $variant" >&2; exit 2 ;;
      esac
      echo "{$key,${line#\{}" >> "$results"
      [ "$variant" = nb ] && break
    done
  done
done
summarise
