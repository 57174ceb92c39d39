#!/usr/bin/env bash
# Zero- and few-shot accuracy over a grid of shots and seeds, as a Markdown table (mean ± sd).
#
#   tools/fewshot-grid.sh --model DIR|NAME --train FILE --data FILE [--shots "0 1 4 8"] [--seeds "1 2 3 4 5"]
#                         [--limit N] [-- any other gpt4j fewshot options, e.g. --template ... --labels ...]
#
# Each (shots, seed) cell is one `gpt4j fewshot --calibrate --json` run, which reports the accuracy
# both before and after contextual calibration. Zero-shot draws nothing, so it runs once (sd 0).
# sd is the sample standard deviation over the seeds (n - 1). Each run's JSON line is kept in
# $FEWSHOT_LOG (default: a temporary file, named at the end) and its progress goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

model="" train="" data="" shots="0 1 4 8" seeds="1 2 3 4 5" limit=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --train) train="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --shots) shots="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --limit) limit="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "fewshot-grid: unknown option '$1' (pass gpt4j fewshot options after --)" >&2; usage 1 ;;
  esac
done
if [ -z "$model" ] || [ -z "$train" ] || [ -z "$data" ]; then
  echo "fewshot-grid: --model, --train and --data are required" >&2
  usage 1
fi

log="${FEWSHOT_LOG:-$(mktemp -t fewshot-grid.XXXXXX)}"
: >"$log"

# The number after "name": in a one-line JSON object.
field() { sed -n "s/.*\"$1\":\([-0-9.eE]*\).*/\1/p" <<<"$2"; }

# mean ± sd (as percentages) of the numbers on stdin, one per line.
mean_sd() {
  awk '{ x[NR] = 100 * $1; s += x[NR] } END {
    m = s / NR; v = 0; for (i = 1; i <= NR; i++) v += (x[i] - m) ^ 2
    sd = NR > 1 ? sqrt(v / (NR - 1)) : 0
    printf "%.1f ± %.1f", m, sd }'
}

mean() { awk '{ s += $1 } END { printf "%.2f", s / NR }'; }

rows=()
start=$SECONDS
for k in $shots; do
  cell_seeds=$seeds
  [ "$k" = 0 ] && cell_seeds=${seeds%% *}
  raw="" cal="" kept="" secs=""
  for s in $cell_seeds; do
    args=(fewshot --model "$model" --train "$train" --data "$data" --shots "$k" --seed "$s" --calibrate --json)
    [ -n "$limit" ] && args+=(--limit "$limit")
    echo "fewshot-grid: $k shots, seed $s" >&2
    line="$("$root/gpt4j" "${args[@]}" "${extra[@]}")"
    echo "$line" >>"$log"
    raw+="$(field accuracy_uncalibrated "$line")"$'\n'
    cal+="$(field accuracy "$line")"$'\n'
    kept+="$(field mean_demonstrations "$line")"$'\n'
    secs+="$(field seconds "$line")"$'\n'
  done
  n=$(field n "$line")
  runs=$(wc -w <<<"$cell_seeds")
  rows+=("| $k | $runs | $(printf '%s' "$raw" | mean_sd) | $(printf '%s' "$cal" | mean_sd) | $(printf '%s' "$kept" | mean) | $(printf '%s' "$secs" | mean) |")
done

echo "Few-shot accuracy (%) on $n examples of $(basename "$data"), demonstrations from $(basename "$train"), model $model;"
echo "mean ± sd over seeds (sample sd)."
echo
echo "| shots | seeds | accuracy | calibrated accuracy | demonstrations kept (mean) | seconds per run |"
echo "|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "fewshot-grid: $((SECONDS - start)) s in all; the runs' JSON lines are in $log" >&2
