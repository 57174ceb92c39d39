#!/usr/bin/env bash
# GPT-2 encode throughput, gpt4j vs JTokkit 1.1.0, one thread each, on >= 5 MB of English text
# (Tiny Shakespeare repeated; override with TEXT=FILE). Builds the bench module with JDK >= 25 and
# runs its JMH benchmark; prints MB/s for both and the ratio. Extra arguments go to JMH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
. "$root/scripts/bench-classpath.sh"
gpt4j_find_jdk
cd "$root"
text="${TEXT:-$root/data/tinyshakespeare/input.txt}"
[ -f "$text" ] || { echo "run-tokenizer-bench: no text file $text (set TEXT=FILE)" >&2; exit 1; }

gpt4j_bench_classpath

log="$(mktemp)"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$classpath" -Dgpt4j.bench.text="$text" \
  org.openjdk.jmh.Main TokenizerEncodeBenchmark -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g -Dgpt4j.bench.text=$text" "$@" 2>&1 \
  | grep -v '^WARNING: Using incubator modules' | tee "$log"

bytes=$(sed -n 's/^text: \([0-9]*\) bytes.*/\1/p' "$log" | head -n 1)
# The score is the first number with a decimal point after the mode ("avgt"); the count and the
# error columns are absent from a single-iteration run.
score='{ for (i = 1; i < NF; i++) if ($i == "avgt") { for (j = i + 1; j <= NF; j++) if ($j ~ /\./) { print $j; exit } } }'
ours=$(awk "/TokenizerEncodeBenchmark.gpt4j /$score" "$log")
theirs=$(awk "/TokenizerEncodeBenchmark.jtokkit /$score" "$log")
rm -f "$log"
if [ -n "$bytes" ] && [ -n "$ours" ] && [ -n "$theirs" ]; then
  awk -v b="$bytes" -v o="$ours" -v t="$theirs" 'BEGIN {
    printf "\ntext %.2f MB: gpt4j %.1f MB/s, JTokkit %.1f MB/s, ratio %.2fx\n", b/1e6, b/1e6/(o/1000), b/1e6/(t/1000), t/o }'
fi
