#!/usr/bin/env bash
# Drives `gpt4j serve` with OpenAI's official Python client (PyPI's `openai`, installed into a
# temporary virtual environment): models, completions (several prompts, n, echo, logprobs), chat
# (logprobs), both streamed, and the errors the client maps to its own classes. Exits non-zero on a
# mismatch. The Python twin of check-openai-node.sh.
#
#   bench/serve/check-openai-python.sh [MODEL_DIR]     (default: a random 2-layer GPT with GPT-2's vocabulary)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
model="${1:-}"
if [ -z "$model" ]; then
  model="$work/tiny"
  "$root/gpt4j" init --layers 2 --heads 2 --embd 64 --context 128 --out "$model" >/dev/null
fi
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --retries 0 --timeout 10 openai
"$root/gpt4j" serve --model "$model" --port 0 --api-key sk-check >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 300); do
  grep -q '^gpt4j serve: http' "$work/serve.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.2
done
export BASE_URL="$(sed -n 's/^gpt4j serve: //p' "$work/serve.out")"
export MODEL_ID="$(basename "$model")"
cat >"$work/check.py" <<'PY'
import os
import openai
from openai import OpenAI

model = os.environ["MODEL_ID"]
client = OpenAI(base_url=os.environ["BASE_URL"], api_key="sk-check")
assert [m.id for m in client.models.list().data] == [model]
c = client.completions.create(model=model, prompt=["Hello", "Bye"], max_tokens=5, n=2, seed=1, logprobs=2, echo=True,
                              extra_body={"ignore_eos": True})
assert len(c.choices) == 4
assert c.choices[0].text.startswith("Hello") and c.choices[2].text.startswith("Bye")
assert c.usage.completion_tokens == 20
chat = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}], max_tokens=8,
                                      logprobs=True, top_logprobs=2, seed=3)
assert chat.choices[0].message.role == "assistant"
assert len(chat.choices[0].logprobs.content) >= 1
text, usage, finish = "", None, None
for chunk in client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}], max_tokens=8,
                                            seed=3, stream=True, stream_options={"include_usage": True}):
    if chunk.choices:
        text += chunk.choices[0].delta.content or ""
        finish = chunk.choices[0].finish_reason or finish
    if chunk.usage:
        usage = chunk.usage
assert text == chat.choices[0].message.content, (text, chat.choices[0].message.content)
assert finish == chat.choices[0].finish_reason
assert usage.total_tokens == chat.usage.total_tokens
streamed = "".join(ch.choices[0].text for ch in client.completions.create(model=model, prompt="Stream", max_tokens=6,
                                                                          seed=4, stream=True) if ch.choices)
assert streamed == client.completions.create(model=model, prompt="Stream", max_tokens=6, seed=4).choices[0].text
for call, error in [(lambda: OpenAI(base_url=os.environ["BASE_URL"], api_key="wrong").models.list(), openai.AuthenticationError),
                    (lambda: client.completions.create(model="nope", prompt="x"), openai.NotFoundError),
                    (lambda: client.completions.create(model=model, prompt="x", max_tokens=0), openai.BadRequestError)]:
    try:
        call()
        raise AssertionError("expected " + error.__name__)
    except error:
        pass
print("OpenAI's Python client (openai %s) against gpt4j serve: all checks passed" % openai.__version__)
PY
"$work/venv/bin/python" "$work/check.py"
