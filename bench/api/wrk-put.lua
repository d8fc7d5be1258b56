-- PUT /v1/cache/k<i> with a fixed value of BENCH_VALUE_BYTES bytes, round robin over the keys.
local keys = tonumber(os.getenv("BENCH_KEYS") or "1000")
local body = string.rep("a", tonumber(os.getenv("BENCH_VALUE_BYTES") or "64"))
local token = os.getenv("BENCH_AUTH_TOKEN") or ""
local headers = { ["Content-Type"] = "application/octet-stream" }
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
local i = 0
request = function()
  i = (i + 1) % keys
  return wrk.format("PUT", "/v1/cache/k" .. i, headers, body)
end
