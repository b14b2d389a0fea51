-- wrk script: count the responses served from the public cache (X-Public-Cache: hit).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  hits = 0
  responses = 0
end

function response(status, headers, body)
  responses = responses + 1
  if headers["X-Public-Cache"] == "hit" then
    hits = hits + 1
  end
end

function done(summary, latency, requests)
  local total_hits, total = 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total = total + thread:get("responses")
  end
  io.write(string.format("cache hits: %d/%d\n", total_hits, total))
end
