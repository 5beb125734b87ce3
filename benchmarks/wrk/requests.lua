-- wrk script: cycles through a list of prepared requests (each with its own session cookie,
-- path and body), counts every answer whose status is not the expected one, stops a thread
-- after a bounded number of requests and prints one JSON line of results.
--
--   wrk -t1 -c2 -d10s -s benchmarks/wrk/requests.lua http://127.0.0.1:PORT -- SPEC MAX
--
-- SPEC is a Lua file written by benchmarks/web_bench.py: return { {method=, path=,
-- headers={...}, body=}, ... }. MAX is the request limit per thread. Every page and the
-- autosave answer 200 when all is well: anything else (a redirect to the sign-in page
-- included) is counted as bad.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local reqs, n, i, limit = {}, 0, 0, 0
ok, bad, badstatus = 0, 0, ""

function init(args)
  local spec = dofile(args[1])
  limit = tonumber(args[2] or "1000000")
  for k, r in ipairs(spec) do
    reqs[k] = wrk.format(r.method, r.path, r.headers, r.body)
  end
  n = #reqs
  -- Threads start at different places in the list.
  i = math.random(0, n - 1)
end

function request()
  i = (i % n) + 1
  return reqs[i]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    bad = bad + 1
    if #badstatus < 200 then badstatus = badstatus .. status .. " " end
  end
  if ok + bad >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local good, wrong, statuses = 0, 0, ""
  for _, t in ipairs(threads) do
    good = good + (t:get("ok") or 0)
    wrong = wrong + (t:get("bad") or 0)
    statuses = statuses .. (t:get("badstatus") or "")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "ok": %d, "bad": %d, ' ..
    '"bad_statuses": "%s", "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d, "mean_us": %.1f, "max_us": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, good, wrong, statuses, e.connect,
    e.read, e.write, e.status, e.timeout, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)))
end
