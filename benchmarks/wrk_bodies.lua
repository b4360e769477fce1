-- wrk script of bench_service.py: POST each request body of a file (one JSON body a line) in turn, with the
-- API key; at the end print one JSON line of figures. Arguments after `--`: the bodies file, the key.
-- Requests are sent round the file from a random start, so every connection screens different queries.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local bodies = {}
local next_body = 1

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  wrk.headers["Authorization"] = "ApiKey " .. args[2]
  math.randomseed(os.time())
  next_body = math.random(#bodies)
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "rps": %.3f, "p50": %.3f, "p99": %.3f, "max": %.3f, "mean": %.3f, "errors": %d, '
      .. '"error_kinds": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, latency.mean / 1e3, e.connect + e.read + e.write + e.status + e.timeout,
    e.connect, e.read, e.write, e.status, e.timeout))
end
