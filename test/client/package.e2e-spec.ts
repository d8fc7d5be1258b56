import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCleanup } from '../support/cleanup';
import { consumerProject, exec, systemNode } from '../support/package-consumer';
import { startNode, type TestNode } from '../support/start-node';

const ROOT = join(__dirname, '../..');
const TOKEN = 'pkg-token';


const USE = (api: string): string => `
  const client = new HypercacheClient({ endpoints: ${JSON.stringify(api)}, token: ${JSON.stringify(TOKEN)} });
  await client.put('pkg-key', 'from-node-20', { ttlMs: 60000 });
  const value = await client.getString('pkg-key');
  const owners = client.localOwners('pkg-key');
  let code;
  try { await client.keys({ q: '[' }).next(); } catch (e) { code = e instanceof BadRequestError ? e.code : 'wrong-class'; }
  const l2 = new ClusterL2(client, { keyPrefix: 'pkg:' });
  await l2.set('x', Buffer.from('l2'), 0, []);
  const l2Value = Buffer.from(await l2.get('x')).toString();
  await client.close();
  console.log(JSON.stringify({ value, owners, code, l2Value, hybrid: typeof HybridCache }));
`;

describe('@hypercache/client package (npm run pack:libs)', () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_AUTH_TOKEN: TOKEN });
  });

  it('installs from its tarball into a fresh project and works under Node 20 with require, import and TypeScript types, without server dependencies', async () => {
    const nodeBin = await systemNode();
    // Its own output directory: the hybrid-cache package test may pack at the same time.
    const out = await mkdtemp(join(tmpdir(), 'hc-client-pack-'));
    registerCleanup(() => rm(out, { recursive: true, force: true }));
    const { stdout: packOut } = await exec(nodeBin, [join(ROOT, 'scripts/pack-libs.mjs')], { cwd: ROOT, timeout: 240_000, env: { ...process.env, PACK_OUT: out } });
    const tgzs = packOut
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('pack: '))
      .map((l) => join(ROOT, l.replace(/^pack: /, '')));
    for (const t of tgzs) expect(t.startsWith(out)).toBe(true);
    expect(tgzs.map((t) => t.split('/').pop())).toEqual([expect.stringMatching(/^hypercache-hybrid-cache-/), expect.stringMatching(/^hypercache-client-\d+\.\d+\.\d+\.tgz$/)]);

    const app = await consumerProject('hc-client-consumer-', tgzs);

    await writeFile(
      join(app, 'use.cjs'),
      `const { HypercacheClient, BadRequestError } = require('@hypercache/client');
       const { ClusterL2 } = require('@hypercache/client/hybrid');
       const { HybridCache } = require('@hypercache/hybrid-cache');
       (async () => { ${USE(node.urls.api)} })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    await writeFile(
      join(app, 'use.mjs'),
      `import { HypercacheClient, BadRequestError } from '@hypercache/client';
       import { ClusterL2 } from '@hypercache/client/hybrid';
       import { HybridCache } from '@hypercache/hybrid-cache';
       ${USE(node.urls.api)}`,
    );
    for (const file of ['use.cjs', 'use.mjs']) {
      const { stdout } = await exec(nodeBin, [file], { cwd: app, timeout: 60_000 });
      expect({ file, ...JSON.parse(stdout) }).toEqual({ file, value: 'from-node-20', owners: ['node-1'], code: 'BAD_REQUEST', l2Value: 'l2', hybrid: 'function' });
    }

    await writeFile(
      join(app, 'use.ts'),
      `import { HypercacheClient, type PutResult, type Topology, NotFoundError } from '@hypercache/client';
       import { createNearCache } from '@hypercache/client/hybrid';
       import { HybridCache, MsgpackSerializer } from '@hypercache/hybrid-cache';
       export async function f(c: HypercacheClient): Promise<number> {
         const r: PutResult = await c.put('k', 'v', { ttlMs: 1000 });
         const t: Topology = await c.topology();
         const near = createNearCache(c, { keyPrefix: 'app:' });
         const cache = new HybridCache({ ...near, serializer: new MsgpackSerializer() });
         await cache.close();
         return r.bytes + t.replication + (NotFoundError.name.length);
       }
       // @ts-expect-error a TTL is a number of ms
       export const bad = (c: HypercacheClient) => c.put('k', 'v', { ttlMs: '5m' });`,
    );
    await exec(
      nodeBin,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'use.ts'],
      { cwd: app, timeout: 120_000 },
    );

    const { stdout: tree } = await exec('npm', ['ls', '--all', '--parseable'], { cwd: app });
    expect(tree).toContain('undici');
    for (const unwanted of ['fastify', '@nestjs/core', '@opentelemetry/sdk-node', 'hypercache-ts', 'xxhash-wasm']) expect(tree).not.toContain(unwanted);
  }, 600_000);
});
