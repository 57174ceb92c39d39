-- wrk: POST /v1/completions with varied prompts and a fixed number of new tokens (ignore_eos, so
-- every request does the same work). Counts the generated tokens from each answer's usage and
-- prints one RESULT line: tokens, duration, requests, errors, latency percentiles.
--   wrk -t2 -c16 -d20s --timeout 120s -s completions.lua http://127.0.0.1:8000   (MAX_TOKENS=64, TEMPERATURE=1.0 in the environment)

local max_tokens = tonumber(os.getenv("MAX_TOKENS") or "64")
local temperature = tonumber(os.getenv("TEMPERATURE") or "1.0")
local model = os.getenv("MODEL_ID")
local words = {"the", "a", "river", "machine", "quietly", "learns", "under", "stars", "of", "winter",
               "market", "city", "old", "new", "language", "model", "runs", "every", "night", "and",
               "light", "falls", "over", "hills", "while", "people", "talk", "about", "numbers", "tomorrow"}
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tokens = 0
  math.randomseed(id * 7919 + os.time())
end

function request()
  local n = math.random(4, 12)
  local prompt = {}
  for i = 1, n do
    prompt[i] = words[math.random(#words)]
  end
  local body = string.format('{%s"prompt": "%s", "max_tokens": %d, "temperature": %s, "ignore_eos": true}',
    model and ('"model": "' .. model .. '", ') or "", table.concat(prompt, " "), max_tokens, temperature)
  return wrk.format("POST", "/v1/completions", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 200 then
    local n = body:match('"completion_tokens":(%d+)')
    if n then
      tokens = tokens + tonumber(n)
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("tokens")
  end
  local e = summary.errors
  io.write(string.format("RESULT tokens=%d seconds=%.2f requests=%d non2xx=%d socket_errors=%d p50_ms=%.0f p99_ms=%.0f\n",
    total, summary.duration / 1e6, summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
