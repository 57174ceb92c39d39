#!/usr/bin/env bash
# BERT WordPiece encode throughput: gpt4j (JMH, one thread) beside Hugging Face tokenizers (Rust;
# one encode on one thread, and encode_batch on all cores) on the same 3 MB of English books
# (bert-base-uncased) and Tang poems (bert-base-chinese), from DATA=DIR (default ../shared/data).
# HF_PYTHON=PATH names a Python with `tokenizers` (default /work/venv-hf/bin/python); without it
# only gpt4j runs. Extra arguments go to JMH (e.g. -p corpus=english -wi 1 -i 2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
. "$root/scripts/bench-classpath.sh"
gpt4j_find_jdk
cd "$root"
data="$(cd "${DATA:-$root/../shared/data}" 2>/dev/null && pwd)" \
  || { echo "run-wordpiece-bench: no data directory ${DATA:-$root/../shared/data} (set DATA=DIR)" >&2; exit 1; }
gpt4j_bench_classpath
log="$(mktemp)"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$classpath" \
  org.openjdk.jmh.Main WordPieceEncodeBenchmark \
  -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g -Dgpt4j.bench.data=$data ${JVM_ARGS:-}" "$@" 2>&1 \
  | grep -v '^WARNING: Using incubator modules' | tee "$log"
echo
awk '
  /^text: / { bytes[$2] = $3 }
  /^WordPieceEncodeBenchmark\.gpt4j / {
    for (i = 1; i < NF; i++) if ($i == "avgt") { for (j = i + 1; j <= NF; j++) if ($j ~ /\./) { score = $j; break } break }
    printf "%-8s %5.2f MB: gpt4j encode %6.1f MB/s (one thread)\n", $2, bytes[$2]/1e6, bytes[$2]/1e6/(score/1000)
  }' "$log"
rm -f "$log"
py="${HF_PYTHON:-/work/venv-hf/bin/python}"
if [ -x "$py" ]; then
  "$py" "$root/bench/wordpiece_hf_bench.py" --data "$data"
else
  echo "(no $py: set HF_PYTHON to a Python with tokenizers for the Hugging Face figures)"
fi
echo "ISA: $(grep -q avx512f /proc/cpuinfo && echo AVX-512 || echo 'no AVX-512') ($(nproc) cores)"
