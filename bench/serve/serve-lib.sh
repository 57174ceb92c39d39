# Sourced by the bench/serve scripts: a temporary directory and a `gpt4j serve` in the background,
# both gone when the script exits.
#
#   . "$root/bench/serve/serve-lib.sh"; start_serve MODEL_DIR [SERVE_ARGS...]
#   → $work (the directory), $server_pid, $base_url (http://HOST:PORT/v1)

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

start_serve() {
  local model="$1"
  shift
  "$root/gpt4j" serve --model "$model" --port 0 "$@" >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  for _ in $(seq 1 300); do
    grep -q '^gpt4j serve: http' "$work/serve.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
    sleep 0.2
  done
  base_url="$(sed -n 's/^gpt4j serve: \(http[^ ]*\)$/\1/p' "$work/serve.out")"
  [ -n "$base_url" ] || { echo "the server did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
}
