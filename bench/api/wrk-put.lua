-- PUT /v1/cache/k<i> with a fixed value of BENCH_VALUE_BYTES bytes, round robin over the keys.
local keys = tonumber(os.getenv("BENCH_KEYS") or "1000")
local body = string.rep("a", tonumber(os.getenv("BENCH_VALUE_BYTES") or "64"))
local i = 0
request = function()
  i = (i + 1) % keys
  return wrk.format("PUT", "/v1/cache/k" .. i, { ["Content-Type"] = "application/octet-stream" }, body)
end
