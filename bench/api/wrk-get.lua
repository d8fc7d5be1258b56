-- GET /v1/cache/k<i> over the seeded keys, round robin. Every request is formatted once, up front:
-- wrk runs request() per request on its one thread, and formatting there (a header table per
-- call) made the load generator, not the server, the limit for the token subject.
local keys = tonumber(os.getenv("BENCH_KEYS") or "1000")
local token = os.getenv("BENCH_AUTH_TOKEN") or ""
local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
-- Built in init(): by then wrk has set its default headers (Host) that wrk.format adds.
local requests = {}
init = function(args)
  for k = 0, keys - 1 do requests[k] = wrk.format("GET", "/v1/cache/k" .. k, headers) end
end
local i = 0
request = function()
  i = (i + 1) % keys
  return requests[i]
end
