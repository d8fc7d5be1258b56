// Example: an application keeping hot keys in-process with a near-cache over a HyperCache cluster
// (@hypercache/client + @hypercache/hybrid-cache). Start a cluster (npm run cluster, token
// "dev-token"), then from the repository root:
//   npm run build
//   HYPERCACHE_URLS=http://127.0.0.1:8080 HYPERCACHE_TOKEN=dev-token PORT=3000 node examples/client/app.mjs
// Run a second instance with PORT=3001 to watch a write in one drop the other's in-process copy:
//   curl -X PUT localhost:3000/items/a -d '{"n":1}'   → written to the key's primary node
//   curl localhost:3001/items/a                     → read from the cluster once, then from memory
//   curl -X PUT localhost:3000/items/a -d '{"n":2}'
//   curl localhost:3001/items/a                     → {"n":2} (its stream told it the key changed)
//   curl localhost:3001/stats                       → L1 hits, L2 reads, resyncs, stream health
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// In an application:
//   import { HypercacheClient } from '@hypercache/client';
//   import { createNearCache } from '@hypercache/client/hybrid';
//   import { HybridCache, JsonSerializer } from '@hypercache/hybrid-cache';
const { HypercacheClient } = require('../../dist/libs/client/src/index.js');
const { createNearCache } = require('../../dist/libs/client/src/hybrid/index.js');
const { HybridCache, JsonSerializer, hybridCacheCounters } = require('../../dist/libs/hybrid-cache/src/index.js');

const port = Number(process.env.PORT ?? 3000);
const endpoints = (process.env.HYPERCACHE_URLS ?? 'http://127.0.0.1:8080').split(',');
const cacheName = 'items';

const client = new HypercacheClient({ endpoints, token: process.env.HYPERCACHE_TOKEN, topologyRefreshIntervalMs: 1_000 });
const near = createNearCache(client, {
  cacheName,
  keyPrefix: 'example:', // this application's keys in the cluster
  localTtlCapMs: Number(process.env.LOCAL_TTL_CAP_MS ?? 60_000), // an entry lives at most this long in memory
  backplane: { events: { heartbeatTimeoutMs: Number(process.env.HEARTBEAT_TIMEOUT_MS ?? 12_000) } },
});
const cache = await HybridCache.create({
  ...near,
  serializer: new JsonSerializer(),
  defaultEntryOptions: { duration: 300_000 }, // fresh for 5 min in the cluster (capped locally)
});

// Why the near-cache dropped its memory (stream lost, reset, gap), newest last.
const losses = [];
near.backplane.events?.on('lost', ({ node, reason }) => losses.push(`${node}:${reason}`));

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

const server = createServer(async (req, res) => {
  const send = (status, value) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    const item = url.pathname.match(/^\/items\/(.+)$/);
    if (item && req.method === 'GET') {
      const r = await cache.get(decodeURIComponent(item[1]));
      return send(r.found ? 200 : 404, r.found ? r.value : { found: false });
    }
    if (item && req.method === 'PUT') {
      await cache.set(decodeURIComponent(item[1]), JSON.parse(await body(req)));
      return send(200, { stored: true });
    }
    if (item && req.method === 'DELETE') {
      await cache.delete(decodeURIComponent(item[1]));
      return send(200, { deleted: true });
    }
    if (url.pathname === '/stats') {
      const c = hybridCacheCounters().get(cacheName);
      return send(200, { healthy: near.backplane.healthy, l1Entries: near.l1.count(), l1Hits: c?.hits ?? 0, l2Hits: c?.l2Hits ?? 0, resyncs: c?.l1Resyncs ?? 0, streams: near.backplane.events?.nodes ?? [], losses: losses.slice(-20) });
    }
    send(404, { error: 'not found' });
  } catch (err) {
    send(500, { error: err instanceof Error ? err.message : String(err) });
  }
});
server.listen(port, '127.0.0.1', () => console.log(`example app on http://127.0.0.1:${port}`));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    server.close();
    await cache.close();
    await client.close();
    process.exit(0);
  });
}
