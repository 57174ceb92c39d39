#!/usr/bin/env bash
# Drives `gpt4j serve` with OpenAI's official Node client (npm's `openai`, installed into a
# temporary directory): models, completions (several prompts, n, echo, logprobs), chat (logprobs),
# both streamed, and the errors the client maps to its own classes. Exits non-zero on a mismatch.
#
#   bench/serve/check-openai-node.sh [MODEL_DIR]     (default: a random 2-layer GPT with GPT-2's vocabulary)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bench/serve/serve-lib.sh"
model="${1:-}"
if [ -z "$model" ]; then
  model="$work/tiny"
  "$root/gpt4j" init --layers 2 --heads 2 --embd 64 --context 128 --out "$model" >/dev/null
fi
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund openai@6 >/dev/null)
start_serve "$model" --api-key sk-check
export BASE_URL="$base_url"
export MODEL_ID="$(basename "$model")"
cat >"$work/check.mjs" <<'JS'
import OpenAI from "openai";
import assert from "node:assert/strict";
const model = process.env.MODEL_ID;
const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: "sk-check" });
assert.deepEqual((await client.models.list()).data.map(m => m.id), [model]);
const c = await client.completions.create({ model, prompt: ["Hello", "Bye"], max_tokens: 5, n: 2, seed: 1,
  logprobs: 2, echo: true, ignore_eos: true });
assert.equal(c.choices.length, 4);
assert.ok(c.choices[0].text.startsWith("Hello") && c.choices[2].text.startsWith("Bye"));
assert.equal(c.usage.completion_tokens, 20);
const chat = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Hi" }], max_tokens: 8,
  logprobs: true, top_logprobs: 2, seed: 3 });
assert.equal(chat.choices[0].message.role, "assistant");
assert.ok(chat.choices[0].logprobs.content.length >= 1);
const stream = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Hi" }], max_tokens: 8,
  seed: 3, stream: true, stream_options: { include_usage: true } });
let text = "", usage = null, finish = null;
for await (const chunk of stream) {
  if (chunk.choices.length) { text += chunk.choices[0].delta.content ?? ""; finish = chunk.choices[0].finish_reason ?? finish; }
  if (chunk.usage) usage = chunk.usage;
}
assert.equal(text, chat.choices[0].message.content);
assert.equal(finish, chat.choices[0].finish_reason);
assert.deepEqual(usage, chat.usage);
let streamed = "";
for await (const chunk of await client.completions.create({ model, prompt: "Stream", max_tokens: 6, seed: 4, stream: true })) {
  streamed += chunk.choices[0]?.text ?? "";
}
assert.equal(streamed, (await client.completions.create({ model, prompt: "Stream", max_tokens: 6, seed: 4 })).choices[0].text);
await assert.rejects(new OpenAI({ baseURL: process.env.BASE_URL, apiKey: "wrong" }).models.list(), OpenAI.AuthenticationError);
await assert.rejects(client.completions.create({ model: "nope", prompt: "x" }), OpenAI.NotFoundError);
await assert.rejects(client.completions.create({ model, prompt: "x", max_tokens: 0 }), e => e instanceof OpenAI.BadRequestError && e.param === "max_tokens");
console.log("OpenAI's Node client (openai@6) against gpt4j serve: all checks passed");
JS
(cd "$work" && node check.mjs)
