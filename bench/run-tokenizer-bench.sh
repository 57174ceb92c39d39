#!/usr/bin/env bash
# GPT-2 encode throughput, gpt4j vs JTokkit 1.1.0, one thread each, per corpus: English books,
# Tang poems, Python code (3 MB each, from DATA=DIR, default ../shared/data) and the three mixed
# (9 MB); or TEXT=FILE repeated to >= 5 MB. Builds the bench module with JDK >= 25 and runs its JMH
# benchmark; prints MB/s for both and the ratio per corpus. Extra arguments go to JMH
# (e.g. -p corpus=chinese, -wi 1 -i 2); JVM_ARGS="-XX:UseAVX=2" adds flags to the timed JVM (a
# second -jvmArgsAppend would reach it as one unsplit argument).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
. "$root/scripts/bench-classpath.sh"
gpt4j_find_jdk
cd "$root"
data="$(cd "${DATA:-$root/../shared/data}" 2>/dev/null && pwd)" \
  || { echo "run-tokenizer-bench: no data directory ${DATA:-$root/../shared/data} (set DATA=DIR)" >&2; exit 1; }
corpus=()
if [ -n "${TEXT:-}" ]; then
  [ -f "$TEXT" ] || { echo "run-tokenizer-bench: no text file $TEXT" >&2; exit 1; }
  corpus=(-p corpus=file)
fi

gpt4j_bench_classpath

forked="-Dgpt4j.bench.data=$data -Dgpt4j.bench.text=${TEXT:-} ${JVM_ARGS:-}"
log="$(mktemp)"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$classpath" \
  org.openjdk.jmh.Main TokenizerEncodeBenchmark "${corpus[@]}" \
  -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g $forked" "$@" 2>&1 \
  | grep -v '^WARNING: Using incubator modules' | tee "$log"

# "text: CORPUS BYTES bytes" from each trial's setup; then one result line per benchmark and
# corpus. The score is the first number with a decimal point after the mode ("avgt"); the count
# and the error columns are absent from a single-iteration run.
echo
awk '
  /^text: / { bytes[$2] = $3 }
  /^TokenizerEncodeBenchmark\.(gpt4j|jtokkit) / {
    for (i = 1; i < NF; i++) if ($i == "avgt") { for (j = i + 1; j <= NF; j++) if ($j ~ /\./) { score = $j; break } break }
    split($1, name, "."); ms[name[2], $2] = score; if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 }
  }
  END {
    for (k = 0; k < n; k++) {
      c = order[k]; o = ms["gpt4j", c]; t = ms["jtokkit", c]
      if (bytes[c] == "" || o == "" || t == "") continue
      printf "%-8s %5.2f MB: gpt4j %6.1f MB/s, JTokkit %6.1f MB/s, ratio %.2fx\n", c, bytes[c]/1e6, bytes[c]/1e6/(o/1000), bytes[c]/1e6/(t/1000), t/o
    }
  }' "$log"
rm -f "$log"
