-- wrk script of ``make bench-private``: each request takes the next line of the
-- target file (``cookie<TAB>path``), so that many sessions and their own URLs (a
-- child's agenda) are loaded; any answer other than 200 counts as an error (a
-- redirect to the login page would otherwise look like a fast page).
local threads = {}
local targets = {}
local index = 0
bad = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local cookie, path = line:match("^(.-)\t(.*)$")
    targets[#targets + 1] = { cookie = cookie, path = path }
  end
  index = math.random(#targets) - 1
end

function request()
  index = index % #targets + 1
  local target = targets[index]
  return wrk.format("GET", target.path, { ["Cookie"] = target.cookie })
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
  end
  io.write(string.format("not 200: %d\n", total))
  -- wrk prints p50/p75/p90/p99; the goal is on p95 (microseconds).
  io.write(string.format("p95: %d\n", latency:percentile(95.0)))
end
