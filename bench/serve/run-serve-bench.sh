#!/usr/bin/env bash
# Load benchmark of `gpt4j serve` with wrk: generated tokens/s, p50/p99 latency and errors at 1, 4,
# 16 and 64 concurrent clients, each POSTing /v1/completions with a varied prompt and a fixed
# number of new tokens. Or, with --soak SECONDS, 16 clients for that long while the server's
# resident memory and heap are sampled every 10 s (they should stay flat).
#
#   bench/serve/run-serve-bench.sh [--model DIR] [--seconds 20] [--max-tokens 64] [--levels "1 4 16 64"]
#                                  [--soak SECONDS] [-- SERVE_ARGS...]
#
# The server runs with GPT4J_JAVA_OPTS (default -Xmx1g). Without --model it initialises a random 6-layer, 6-head, 384-wide GPT with GPT-2's vocabulary
# (context 512) in a temporary directory. Arguments after -- go to `gpt4j serve` (e.g. --max-batch 32).
# wrk comes from Debian (apt-get install -y wrk), installed here when missing and we are root.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model=""
seconds=20
max_tokens=64
levels="1 4 16 64"
soak=0
serve_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --max-tokens) max_tokens="$2"; shift 2 ;;
    --levels) levels="$2"; shift 2 ;;
    --soak) soak="$2"; shift 2 ;;
    --) shift; serve_args=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run-serve-bench: unknown argument $1 (--help lists them)" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "run-serve-bench: installing wrk..." >&2
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk) >&2
  else
    echo "run-serve-bench: wrk is missing (apt-get install -y wrk)" >&2
    exit 1
  fi
fi

. "$root/bench/serve/serve-lib.sh"

if [ -z "$model" ]; then
  model="$work/gpt-6-6-384"
  echo "run-serve-bench: initialising a random 6/6/384 GPT with GPT-2's vocabulary in $model" >&2
  "$root/gpt4j" init --layers 6 --heads 6 --embd 384 --context 512 --seed 1 --out "$model" >/dev/null
fi

# A bounded heap, as a server should have: without -Xmx the JVM takes up to a quarter of the
# machine's memory before collecting the old generation, and the resident size grows to it.
export GPT4J_JAVA_OPTS="${GPT4J_JAVA_OPTS:--Xmx1g}"
start_serve "$model" "${serve_args[@]}"
url="${base_url%/v1}"

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
simd="$(grep -q avx512f /proc/cpuinfo && echo AVX-512 || (grep -q avx2 /proc/cpuinfo && echo AVX2 || echo no AVX2))"
echo "gpt4j serve at $url; model $model; $(nproc) cores, $cpu, $simd; $max_tokens new tokens per request"
export MAX_TOKENS="$max_tokens"

run_wrk() { # connections seconds
  local c="$1" s="$2" t
  t=$(( c < 2 ? c : 2 ))
  wrk -t"$t" -c"$c" -d"${s}s" --timeout 300s -s "$root/bench/serve/completions.lua" "$url" | grep '^RESULT'
}

echo "warming up (JIT) for 10 s..." >&2
run_wrk 4 10 >/dev/null

if [ "$soak" -gt 0 ]; then
  echo "soak: 16 clients for $soak s; every 10 s the resident memory, the heap in use, and what survived the last full collection"
  run_wrk 16 "$soak" >"$work/soak.txt" &
  wrk_pid=$!
  start=$(date +%s)
  while kill -0 "$wrk_pid" 2>/dev/null; do
    rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")
    curl -s "$url/metrics" >"$work/metrics.txt"
    heap=$(awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s / 1048576}' "$work/metrics.txt")
    live=$(awk 'index($0, "jvm_gc_live_data_size_bytes") == 1 {printf "%.0f", $NF / 1048576}' "$work/metrics.txt")
    printf "t=%4ds  rss=%5d MiB  heap in use=%5s MiB  live after full GC=%5s MiB\n" $(( $(date +%s) - start )) \
      $(( rss_kb / 1024 )) "$heap" "${live:-?}"
    sleep 10
  done
  wait "$wrk_pid"
  cat "$work/soak.txt"
  exit 0
fi

# Tokens sampled by the engine so far: every decoding step adds its batch size. Read before and
# after each level, it counts the tokens of requests still running when wrk stops too (the usage
# of finished answers would miss them, which at 64 clients is much of the work).
sampled() {
  curl -s "$url/metrics" | awk '/^gpt4j_batch_size_sum/ {s += $NF} END {printf "%.0f", s}'
}

printf "%8s %12s %10s %10s %8s %8s\n" clients "tokens/s" "p50 ms" "p99 ms" requests errors
single=""
for c in $levels; do
  before=$(sampled)
  line="$(run_wrk "$c" "$seconds")"
  tokens=$(( $(sampled) - before ))
  secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  reqs=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
  errs=$(( $(sed -n 's/.*non2xx=\([0-9]*\).*/\1/p' <<<"$line") + $(sed -n 's/.*socket_errors=\([0-9]*\).*/\1/p' <<<"$line") ))
  p50=$(sed -n 's/.*p50_ms=\([0-9]*\).*/\1/p' <<<"$line")
  p99=$(sed -n 's/.*p99_ms=\([0-9]*\).*/\1/p' <<<"$line")
  tps=$(awk -v t="$tokens" -v s="$secs" 'BEGIN {printf "%.1f", t / s}')
  [ -z "$single" ] && [ "$c" = 1 ] && single="$tps"
  printf "%8s %12s %10s %10s %8s %8s\n" "$c" "$tps" "$p50" "$p99" "$reqs" "$errs"
  if [ "$c" = 16 ] && [ -n "$single" ]; then
    awk -v a="$tps" -v b="$single" 'BEGIN {printf "16 clients: %.1fx the single client'"'"'s tokens/s (target >= 4x)\n", a / b}'
  fi
done
