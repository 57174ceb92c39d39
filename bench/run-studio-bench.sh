#!/usr/bin/env bash
# The studio's view latency: one update per view for a new 128-token input on a 10.7M-parameter
# model (JMH, average ms per update). The target is < 200 ms. Extra arguments go to JMH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
gpt4j_find_jdk
cd "$root"
# One reactor build (no install): the modules' own classes come first, never a stale snapshot.
cp_file="$(mktemp)"
mvn -B -q -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="$root/core/target/classes:$root/server/target/classes:$root/bench/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$classpath" org.openjdk.jmh.Main StudioViewBenchmark \
  -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx4g" "$@" 2>&1 | grep -v '^WARNING: Using incubator modules'
