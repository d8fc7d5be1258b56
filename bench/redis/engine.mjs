// Figures engine-get / engine-set: the engine (AsyncHyperCache over RedisBackend, msgpack records)
// vs bare ioredis GET/SET of the same value (ioredis defaults), each on its own connection to the
// same redis-server, at the same concurrency (closed loop, CONCURRENCY callers). The backend turns
// on ioredis auto-pipelining (decisions B7); engine-get-vs-pipelined / engine-set-vs-pipelined
// compare against bare ioredis with `enableAutoPipelining: true` too, i.e. the engine's own cost.
import { createRequire } from 'node:module';
import { figure, Redis } from './harness.mjs';

const require = createRequire(import.meta.url);
const { AsyncHyperCache } = require('../../dist/libs/cache-engine/src/index.js');
const { createRedisBackend } = require('../../dist/libs/redis-backend/src/index.js');

/** Keys per figure (cycled). */
const KEYS = 10_000;
/** A 100-byte string value. */
const VALUE = 'v'.repeat(100);

/** @param {{ redis: { port: number; url: string } }} ctx */
export async function run(ctx) {
  const backend = createRedisBackend({ url: ctx.redis.url, keyPrefix: 'bench:ours:' });
  const engine = new AsyncHyperCache({ backend });
  const bare = new Redis({ port: ctx.redis.port });
  const piped = new Redis({ port: ctx.redis.port, enableAutoPipelining: true });
  await backend.ping();
  await bare.ping();
  await piped.ping();
  const ours = Array.from({ length: KEYS }, (_, i) => `k${i}`);
  const ref = Array.from({ length: KEYS }, (_, i) => `bench:ref:k${i}`);
  for (let i = 0; i < KEYS; i += 500) {
    await Promise.all(ours.slice(i, i + 500).map((k) => engine.set(k, VALUE)));
    await Promise.all(ref.slice(i, i + 500).map((k) => bare.set(k, VALUE)));
  }
  if ((await engine.get(ours[7])) !== VALUE || (await bare.get(ref[7])) !== VALUE) throw new Error('engine bench setup failed');

  await figure(
    'engine-get',
    (i) => engine.get(ours[i % KEYS]),
    (i) => bare.get(ref[i % KEYS]),
  );
  await figure(
    'engine-set',
    (i) => engine.set(ours[i % KEYS], VALUE),
    (i) => bare.set(ref[i % KEYS], VALUE),
  );
  await figure(
    'engine-get-vs-pipelined',
    (i) => engine.get(ours[i % KEYS]),
    (i) => piped.get(ref[i % KEYS]),
  );
  await figure(
    'engine-set-vs-pipelined',
    (i) => engine.set(ours[i % KEYS], VALUE),
    (i) => piped.set(ref[i % KEYS], VALUE),
  );
  await engine.stop();
  bare.disconnect();
  piped.disconnect();
}
