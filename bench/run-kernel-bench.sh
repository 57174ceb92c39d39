#!/usr/bin/env bash
# JMH benchmarks of the tensor kernels (org.gpt4j.bench.kernels) at the model's shapes, then
# GFLOP/s of every matrix-product form beside PyTorch's (OpenBLAS, 2 threads) on the same shapes,
# measured right after in the same run. Arguments go to JMH (e.g. a benchmark regex:
# run-kernel-bench.sh 'MatmulBenchmark' -p shape=256x768x2304). JVM_ARGS="-XX:UseAVX=2" (or
# "-XX:MaxVectorSize=16") adds flags to the timed JVM, for the narrower vector paths.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
. "$root/scripts/bench-classpath.sh"
gpt4j_find_jdk
cd "$root"

gpt4j_bench_classpath

result="$(mktemp --suffix=.json)"
echo "# load average $(cut -d' ' -f1 /proc/loadavg) before" >&2
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$classpath" \
  org.openjdk.jmh.Main "${@:-org.gpt4j.bench.kernels}" -rf json -rff "$result" \
  ${JVM_ARGS:+-jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx8g $JVM_ARGS"} 2>&1 \
  | grep -v '^WARNING: Using incubator modules'
/usr/bin/python3 "$root/bench/kernel_report.py" "$result"
rm -f "$result"
