#!/usr/bin/env bash
# Drives `gpt4j serve` with OpenAI's official Python client (PyPI's `openai`, installed into a
# temporary virtual environment): models, completions (several prompts, n, echo, logprobs), chat
# (logprobs), both streamed, and the errors the client maps to its own classes. Exits non-zero on a
# mismatch. The Python twin of check-openai-node.sh.
#
#   bench/serve/check-openai-python.sh [MODEL_DIR]     (default: a random 2-layer GPT with GPT-2's vocabulary)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bench/serve/serve-lib.sh"
model="${1:-}"
if [ -z "$model" ]; then
  model="$work/tiny"
  "$root/gpt4j" init --layers 2 --heads 2 --embd 64 --context 128 --out "$model" >/dev/null
fi
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --retries 0 --timeout 10 openai
start_serve "$model" --api-key sk-check
export BASE_URL="$base_url"
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
