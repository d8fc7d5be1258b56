// Auth micro-benchmark: per-request cost of resolving a static bearer token and checking a scope
// (the work the client API's onRequest hook does on the hot value routes), for 1, 10 and 100
// configured tokens, valid and invalid, against the old single-token check (sha256 of the
// presented token + one timingSafeEqual) as the reference.
//   npm run build && node bench/auth/auth.bench.mjs
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { AuthPolicy, scopeMask } = require('../../dist/libs/auth/src/index.js');

const READ = scopeMask(['read']);
const ITER = Number(process.env.BENCH_ITER ?? 1_000_000);

function nsPerOp(fn) {
  for (let i = 0; i < ITER / 10; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ITER; i++) fn();
  return Number(process.hrtime.bigint() - t0) / ITER;
}

// The previous implementation (one shared token): sha256 both sides, compare digests.
const refDigest = createHash('sha256').update('tok-0-0123456789abcdef').digest();
const reference = (h) => timingSafeEqual(createHash('sha256').update(h.slice(7)).digest(), refDigest);
const refNs = nsPerOp(() => reference('Bearer tok-0-0123456789abcdef'));

for (const n of [1, 10, 100]) {
  const tokens = Array.from({ length: n }, (_, i) => ({ id: `id${i}`, token: `tok-${i}-0123456789abcdef`, scopes: ['read'] }));
  const policy = new AuthPolicy({ tokens });
  const last = `Bearer tok-${n - 1}-0123456789abcdef`;
  const first = 'Bearer tok-0-0123456789abcdef';
  const wrong = 'Bearer tok-x-0123456789abcdef';
  const run = (h) => () => policy.check(policy.resolve(h, undefined), READ);
  const f = nsPerOp(run(first));
  const l = nsPerOp(run(last));
  const w = nsPerOp(run(wrong));
  console.log(
    `bench auth-static-${n}: ours ${f.toFixed(0)} ns (first token) / ${l.toFixed(0)} ns (last) / ${w.toFixed(0)} ns (wrong), reference ${refNs.toFixed(0)} ns, ratio ${(refNs / f).toFixed(2)}`,
  );
}
