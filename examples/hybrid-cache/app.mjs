// Example: a tiny product service using @hypercache/hybrid-cache with a Redis L2 and a Redis
// backplane. Start a local redis-server, then (from the repository root):
//   npm run build
//   node examples/hybrid-cache/app.mjs            # PORT=3000 REDIS_URL=redis://127.0.0.1:6379
// Run a second instance with PORT=3001 to watch the backplane keep both L1s coherent:
//   curl localhost:3000/products/1        → computed once ("source":"database"), then cached
//   curl -X PUT localhost:3001/products/1 -d '{"name":"renamed"}'
//   curl localhost:3000/products/1        → "renamed" (instance 3000 dropped its L1 copy)
//   curl -X DELETE localhost:3000/products   → deleteByTag('products') on every instance
//   curl localhost:3000/stats             → hit/miss/factory counters of this process
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// In an application: import { HybridCache, ... } from '@hypercache/hybrid-cache';
const { HybridCache, RedisL2, RedisBackplane, JsonSerializer, hybridCacheCounters } = require('../../dist/libs/hybrid-cache/src/index.js');
const Redis = require('ioredis');

const port = Number(process.env.PORT ?? 3000);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const l2Client = new Redis(redisUrl);
const busClient = new Redis(redisUrl);
for (const c of [l2Client, busClient]) c.on('error', (err) => console.error(`redis: ${err.message}`));

const cache = await HybridCache.create({
  cacheName: 'products',
  l2: new RedisL2({ client: l2Client, keyPrefix: 'example:' }),
  serializer: new JsonSerializer(),
  backplane: new RedisBackplane({ client: busClient }),
  defaultEntryOptions: {
    duration: 60_000, // fresh for 1 min
    isFailSafeEnabled: true, // serve the last value for up to 1 h when the database fails
    failSafeMaxDuration: 3_600_000,
    factorySoftTimeout: 200, // answer with the stale value after 200 ms, finish in background
    factoryHardTimeout: 2_000,
    distributedCacheHardTimeout: 500, // a hanging Redis never holds a request longer
    eagerRefreshThreshold: 0.8, // refresh in the background after 48 s of a 60 s life
  },
});

/** Stand-in for a slow database. */
const db = new Map([['1', { id: '1', name: 'keyboard' }], ['2', { id: '2', name: 'mouse' }]]);
async function loadProduct(id) {
  await new Promise((r) => setTimeout(r, 50));
  const p = db.get(id);
  return p === undefined ? null : { ...p, source: 'database', loadedAt: new Date().toISOString() };
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    const m = url.pathname.match(/^\/products\/([^/]+)$/);
    if (req.method === 'GET' && m) {
      const product = await cache.getOrSet(`product:${m[1]}`, (ctx) => loadProduct(m[1]).then((p) => (p === null ? ctx.skip(null) : p)), { tags: ['products'] });
      return product === null ? send(res, 404, { error: 'not found' }) : send(res, 200, product);
    }
    if (req.method === 'PUT' && m) {
      let body = '';
      for await (const chunk of req) body += chunk;
      const product = { id: m[1], ...JSON.parse(body || '{}'), source: 'write' };
      db.set(m[1], product);
      await cache.set(`product:${m[1]}`, product, { tags: ['products'] });
      return send(res, 200, product);
    }
    if (req.method === 'DELETE' && url.pathname === '/products') {
      await cache.deleteByTag('products');
      return send(res, 200, { invalidated: 'products' });
    }
    if (req.method === 'GET' && url.pathname === '/stats') return send(res, 200, Object.fromEntries(hybridCacheCounters()));
    send(res, 404, { error: 'not found' });
  } catch (err) {
    send(res, 500, { error: err.message });
  }
});

server.listen(port, '127.0.0.1', () => console.log(`product service on http://127.0.0.1:${port} (redis ${redisUrl})`));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
async function shutdown() {
  server.close();
  await cache.close();
  l2Client.disconnect();
  busClient.disconnect();
}
