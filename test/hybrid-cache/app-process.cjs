// A minimal application process using the hybrid cache (built library in dist/) with a Redis L2 and
// a Redis backplane; driven by its parent over IPC. Env: L2_PORT, BP_PORT, NODE_ID.
const Redis = require('ioredis');
const path = require('node:path');
const { HybridCache, RedisL2, RedisBackplane, JsonSerializer } = require(path.join(__dirname, '../../dist/libs/hybrid-cache/src/index.js'));

const client = (port) => {
  const c = new Redis({ host: '127.0.0.1', port: Number(port), enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  c.on('error', () => undefined);
  return c;
};

async function main() {
  const l2Client = client(process.env.L2_PORT);
  const bpClient = client(process.env.BP_PORT);
  await Promise.all([l2Client, bpClient].map((c) => new Promise((r) => (c.status === 'ready' ? r() : c.once('ready', r)))));
  const cache = await HybridCache.create({
    nodeId: process.env.NODE_ID,
    l2: new RedisL2({ client: l2Client, keyPrefix: 'two:' }),
    serializer: new JsonSerializer(),
    backplane: new RedisBackplane({ client: bpClient, channel: 'two-process' }),
    autoRecoveryDelay: 100,
    defaultEntryOptions: { duration: 600_000, isFailSafeEnabled: true, failSafeMaxDuration: 3_600_000, distributedCacheHardTimeout: 1_000 },
  });
  let reconnects = 0;
  cache.events().on('BackplaneReconnected', () => reconnects++);

  const ops = {
    get: async ({ key }) => {
      const r = await cache.get(key);
      return { found: r.found, value: r.value };
    },
    set: ({ key, value, tags }) => cache.set(key, value, { tags }),
    delete: ({ key }) => cache.delete(key),
    deleteByTag: ({ tag }) => cache.deleteByTag(tag),
    expireByTag: ({ tag }) => cache.expireByTag(tag),
    clear: () => cache.clear(true),
    reconnects: () => reconnects,
    l1Count: () => cache.l1Count(),
    // Polls the own cache until `key` reads `expect` (undefined = not found); answers the wall-clock instant.
    waitFor: async ({ key, expect, timeoutMs }) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await cache.get(key);
        if ((expect === undefined && !r.found) || (r.found && JSON.stringify(r.value) === JSON.stringify(expect))) return Date.now();
        if (Date.now() > deadline) throw new Error(`timeout waiting for ${key} = ${JSON.stringify(expect)}, last ${JSON.stringify(r)}`);
        await new Promise((res) => setTimeout(res, 2));
      }
    },
    close: async () => {
      await cache.close();
      l2Client.disconnect();
      bpClient.disconnect();
      setImmediate(() => process.exit(0));
    },
  };

  process.on('message', async ({ id, op, args }) => {
    try {
      const result = await ops[op](args ?? {});
      process.send({ id, ok: true, result, at: Date.now() });
    } catch (err) {
      process.send({ id, ok: false, error: String(err && err.message) });
    }
  });
  process.send({ ready: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
