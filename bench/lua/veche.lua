-- wrk script for Veche's benchmarks.
--   wrk ... -s veche.lua URL -- vote PATH TOKENS_FILE THREADS BODY   POST, each request a distinct token
--   wrk ... -s veche.lua URL -- get PATH [ETAG]                       GET, with If-None-Match when ETAG is given
-- done() prints one line "WRKJSON {...}" that bench/wrk.py reads.

local threads = {}
local tokens = {}
local nxt = 1
wrapped = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  wrk.path = args[2]
  if mode == "vote" then
    local nthreads = tonumber(args[4])
    local i = 0
    for line in io.lines(args[3]) do
      if i % nthreads == id then tokens[#tokens + 1] = line end
      i = i + 1
    end
    wrk.method = "POST"
    wrk.body = args[5]
    wrk.headers["Content-Type"] = "application/json"
  else
    wrk.method = "GET"
    if args[3] then wrk.headers["If-None-Match"] = args[3] end
  end
end

function request()
  if mode ~= "vote" then return wrk.format() end
  wrk.headers["Authorization"] = "Bearer " .. tokens[nxt]
  nxt = nxt + 1
  if nxt > #tokens then
    nxt = 1
    wrapped = wrapped + 1
  end
  return wrk.format()
end

function done(summary, latency, requests)
  local e = summary.errors
  local wrapped_total = 0
  for _, t in ipairs(threads) do wrapped_total = wrapped_total + (t:get("wrapped") or 0) end
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "wrapped": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    wrapped_total))
end
