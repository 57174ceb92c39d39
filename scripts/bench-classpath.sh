# Sourced by bench/run-*-bench.sh: builds the bench module and its dependencies in one reactor
# (no `mvn install`) and sets $classpath with this checkout's own classes first, so a stale
# ~/.m2 snapshot of gpt4j can never be picked up. Needs $root and a JDK (scripts/jdk.sh).
gpt4j_bench_classpath() {
  local cp_file
  cp_file="$(mktemp)"
  (cd "$root" && mvn -B -q -DskipTests -pl bench -am package dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" >/dev/null)
  classpath="$root/core/target/classes:$root/server/target/classes:$root/bench/target/classes:$(cat "$cp_file")"
  rm -f "$cp_file"
}
