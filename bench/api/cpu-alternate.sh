#!/usr/bin/env bash
# Server CPU per request of our server and raw Fastify + Map, alternating, without the other
# subjects of api.bench.mjs: both servers on CPU 0, wrk on CPU 1, ROUNDS × (GET then PUT) of
# SECONDS each, CPU = utime + stime of the server over the run ÷ requests (after `npm run build`).
# IDLE > 0 leaves both servers idle that many seconds between rounds: with IDLE=35 the first
# memory-reducing GC comes at ≈ 105–120 s (round 3), the idle spell that used to cost our server
# its optimised code (docs/benchmarks.md). OURS_NODE_FLAGS / REF_NODE_FLAGS: extra node flags
# (e.g. --trace-gc --trace-deopt, output to OURS_LOG / REF_LOG).
# Usage: bash bench/api/cpu-alternate.sh [ROUNDS=5] [SECONDS=5] [IDLE=0]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
SECONDS_PER_RUN=${2:-5}
IDLE=${3:-0}
NODE=node_modules/.bin/node
free_port() { "$NODE" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
API=$(free_port); MGMT=$(free_port); DIST=$(free_port); REF=$(free_port)
HYPERCACHE_NODE_ID=ours HYPERCACHE_API_ADDR=127.0.0.1:$API HYPERCACHE_MGMT_ADDR=127.0.0.1:$MGMT \
  HYPERCACHE_DIST_ADDR=127.0.0.1:$DIST HYPERCACHE_LOG_LEVEL=error taskset -c 0 "$NODE" ${OURS_NODE_FLAGS:-} dist/apps/server/src/main.js > "${OURS_LOG:-/dev/stdout}" &
OURS=$!
taskset -c 0 "$NODE" ${REF_NODE_FLAGS:-} bench/api/reference-server.mjs "$REF" > "${REF_LOG:-/dev/stdout}" &
FASTIFY=$!
trap 'kill $OURS $FASTIFY 2>/dev/null || true' EXIT
for port in $API $REF; do
  for _ in $(seq 1 200); do curl -sf -o /dev/null -X PUT --data-binary x "http://127.0.0.1:$port/v1/cache/warm" && break; sleep 0.1; done
  # Seed the keys the GET script reads.
  BENCH_KEYS=1000 BENCH_VALUE_BYTES=64 taskset -c 1 wrk -t1 -c50 -d1s -s bench/api/wrk-put.lua "http://127.0.0.1:$port" > /dev/null
done
run() { # pid port method label
  local t0 t1 out req
  t0=$(awk '{print $14+$15}' "/proc/$1/stat")
  out=$(BENCH_KEYS=1000 BENCH_VALUE_BYTES=64 taskset -c 1 wrk -t1 -c50 -d"${SECONDS_PER_RUN}"s -s "bench/api/wrk-$3.lua" "http://127.0.0.1:$2")
  t1=$(awk '{print $14+$15}' "/proc/$1/stat")
  req=$(echo "$out" | grep -oE '^ +[0-9]+ requests' | grep -oE '[0-9]+')
  if echo "$out" | grep -q 'Non-2xx'; then echo "$4 $3: non-2xx answers" >&2; exit 1; fi
  awk -v t=$((t1 - t0)) -v r="$req" -v l="$4 $3" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%s: %.1f µs/req, %d req\n", l, t * 1e6 / hz / r, r }'
}
T0=$SECONDS
for r in $(seq 1 "$ROUNDS"); do
  if [ "$r" -gt 1 ] && [ "$IDLE" -gt 0 ]; then sleep "$IDLE"; fi
  echo "round $r (t = $((SECONDS - T0)) s)"
  run $OURS $API get ours; run $FASTIFY $REF get fastify
  run $OURS $API put ours; run $FASTIFY $REF put fastify
done
