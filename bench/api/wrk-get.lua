-- GET /v1/cache/k<i> over the seeded keys, round robin.
local keys = tonumber(os.getenv("BENCH_KEYS") or "1000")
local token = os.getenv("BENCH_AUTH_TOKEN") or ""
local headers = {}
if token ~= "" then headers["Authorization"] = "Bearer " .. token end
local i = 0
request = function()
  i = (i + 1) % keys
  return wrk.format("GET", "/v1/cache/k" .. i, headers)
end
