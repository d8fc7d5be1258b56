-- PUT /v1/cache/k<i> with a fixed value of BENCH_VALUE_BYTES bytes, round robin over the keys.
-- Requests are formatted once, up front (see wrk-get.lua).
local keys = tonumber(os.getenv("BENCH_KEYS") or "1000")
local body = string.rep("a", tonumber(os.getenv("BENCH_VALUE_BYTES") or "64"))
local token = os.getenv("BENCH_AUTH_TOKEN") or ""
local headers = { ["Content-Type"] = "application/octet-stream" }
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
-- Built in init(): by then wrk has set its default headers (Host) that wrk.format adds.
local requests = {}
init = function(args)
  for k = 0, keys - 1 do requests[k] = wrk.format("PUT", "/v1/cache/k" .. k, headers, body) end
end
local i = 0
request = function()
  i = (i + 1) % keys
  return requests[i]
end
