// Redis benchmark: `npm run bench:redis` (= npm run build && node bench/redis/index.mjs).
// Starts one redis-server (pinned to CPU0 with taskset when available; this process, the clients,
// pinned to CPU1) and runs every figure module against it, printing
//   bench <name>: ours X ops/s, reference Y ops/s, ratio Z
// lines (medians over BENCH_ROUNDS rounds of BENCH_ROUND_MS ms per subject, subjects alternating
// which goes first; BENCH_CONCURRENCY concurrent callers). Figure modules export `run(ctx)` with
// ctx = { redis: { port, url } }; add one by listing it in FIGURES. BENCH_ONLY=engine runs a subset.
import { CONCURRENCY, hasTaskset, pinSelf, ROUND_MS, ROUNDS, startRedisServer } from './harness.mjs';

/** Figure modules, in run order. */
const FIGURES = ['./engine.mjs', './api.mjs'];

pinSelf();
const only = process.env.BENCH_ONLY?.split(',');
const redis = await startRedisServer();
console.log(`# ${ROUNDS} round(s) × ${ROUND_MS} ms per subject, ${CONCURRENCY} concurrent callers, taskset ${hasTaskset ? 'redis-server CPU0 / clients CPU1' : 'unavailable'}`);
for (const f of FIGURES) {
  if (only && !only.some((o) => f.includes(o))) continue;
  const mod = await import(f);
  await mod.run({ redis });
}
redis.stop();
process.exit(0);
