#!/usr/bin/env bash
# The studio's view latency: one update per view for a new 128-token input on a 10.7M-parameter
# model (JMH, average ms per update). The target is < 200 ms. Extra arguments go to JMH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
. "$root/scripts/bench-classpath.sh"
gpt4j_find_jdk
cd "$root"
gpt4j_bench_classpath
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$classpath" org.openjdk.jmh.Main StudioViewBenchmark \
  -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g" "$@" 2>&1 | grep -v '^WARNING: Using incubator modules'
