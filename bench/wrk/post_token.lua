-- wrk script for figure 4: POST as many consented browsers, from many client addresses.
-- Environment: BENCH_SESSIONS (a file of session ids, one a line), BENCH_SESSION_COOKIE,
-- BENCH_CSRF_COOKIE, BENCH_CSRF, BENCH_ADDRESSES. The addresses reach the server as
-- X-Forwarded-For, which uvicorn trusts from 127.0.0.1 (its default), as behind a proxy.

local sessions = {}
local threads = {}
local counter = 0
ok = 0
refused = 0
other = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    table.insert(sessions, line)
  end
  addresses = tonumber(os.getenv("BENCH_ADDRESSES"))
  csrf = os.getenv("BENCH_CSRF")
  cookie_prefix = os.getenv("BENCH_SESSION_COOKIE") .. "="
  csrf_cookie = "; " .. os.getenv("BENCH_CSRF_COOKIE") .. "=" .. csrf
  counter = id * 7919
end

function request()
  counter = counter + 1
  local a = counter % addresses
  local headers = {
    ["Cookie"] = cookie_prefix .. sessions[counter % #sessions + 1] .. csrf_cookie,
    ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = string.format("10.%d.%d.1", math.floor(a / 250), a % 250 + 1),
  }
  return wrk.format("POST", nil, headers, "{}")
end

function response(status, headers, body)
  if status == 200 or status == 201 then
    ok = ok + 1
  elseif status == 429 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local ok_total, refused_total, other_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    refused_total = refused_total + thread:get("refused")
    other_total = other_total + thread:get("other")
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "ok": %d, "refused": %d, "other": %d, ' ..
    '"socket_errors": %d, "median_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, ok_total, refused_total, other_total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
