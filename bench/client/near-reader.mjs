// Child process of bench/client: a second application with its own near-cache. For each probe
// the parent names a key; this process caches its current value in L1, says "armed", then reads
// it in a tight loop and reports the instant (epoch ms, high resolution) it first stops serving
// the old value.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { HypercacheClient } = require('../../dist/libs/client/src/index.js');
const { createNearCache } = require('../../dist/libs/client/src/hybrid/index.js');
const { HybridCache, JsonSerializer } = require('../../dist/libs/hybrid-cache/src/index.js');

const { urls, token } = JSON.parse(process.argv[2]);
const client = new HypercacheClient({ endpoints: urls, token });
const near = createNearCache(client, { cacheName: 'bench', keyPrefix: 'bench:' });
const cache = await HybridCache.create({ ...near, serializer: new JsonSerializer() });
const epochNow = () => performance.timeOrigin + performance.now();
while (!near.backplane.healthy) await new Promise((r) => setTimeout(r, 20));
process.send({ type: 'ready' });

process.on('message', async (m) => {
  if (m.type === 'close') {
    await cache.close();
    await client.close();
    process.exit(0);
  }
  if (m.type !== 'probe') return;
  const old = (await cache.get(m.key)).value;
  // Until it is an L1 hit, reading again costs nothing more than an L1 lookup.
  process.send({ type: 'armed', key: m.key, old });
  for (;;) {
    const r = await cache.get(m.key);
    if (r.value !== old) {
      process.send({ type: 'seen', key: m.key, at: epochNow() });
      return;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
});
