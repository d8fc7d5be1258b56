import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { consumerProject, exec, systemNode } from '../support/package-consumer';

const ROOT = join(__dirname, '../..');


const USE = `
  const cache = await HybridCache.create({ l2: new MemoryL2(), serializer: new MsgpackSerializer(), backplane: new MemoryBackplaneHub().connect() });
  let calls = 0;
  const factory = async () => { calls++; return { id: 1 }; };
  const all = await Promise.all(Array.from({ length: 50 }, () => cache.getOrSet('p1', factory, { tags: ['products'] })));
  await cache.deleteByTag('products');
  const afterTag = await cache.get('p1');
  const ns = cache.namespace('users');
  await ns.set('u', 'alice');
  const conformance = l2AdapterConformance(() => new MemoryL2());
  for (const c of conformance) await c.run();
  await cache.close();
  console.log(JSON.stringify({ calls, same: all.every((v) => v === all[0]), afterTag: afterTag.found, checks: conformance.length, counters: hybridCacheCounters().get('default').factoryCalls }));
`;

describe('@hypercache/hybrid-cache package (npm run pack:libs)', () => {
  it('installs from its tarball into a fresh project and works under Node 20 with require, import and TypeScript types, without server dependencies', async () => {
    const node = await systemNode();
    const { stdout: packOut } = await exec(node, [join(ROOT, 'scripts/pack-libs.mjs'), 'hybrid-cache'], { cwd: ROOT, timeout: 240_000 });
    const tgz = join(ROOT, packOut.trim().split('\n').pop()!.replace(/^pack: /, ''));
    expect(tgz).toMatch(/dist\/packages\/hypercache-hybrid-cache-\d+\.\d+\.\d+\.tgz$/);

    const app = await consumerProject('hc-consumer-', [tgz]);

    await writeFile(
      join(app, 'use.cjs'),
      `const { HybridCache, MemoryL2, MemoryBackplaneHub, MsgpackSerializer, hybridCacheCounters } = require('@hypercache/hybrid-cache');
       const { l2AdapterConformance } = require('@hypercache/hybrid-cache/testing');
       (async () => { ${USE} })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    await writeFile(
      join(app, 'use.mjs'),
      `import { HybridCache, MemoryL2, MemoryBackplaneHub, MsgpackSerializer, hybridCacheCounters } from '@hypercache/hybrid-cache';
       import { l2AdapterConformance } from '@hypercache/hybrid-cache/testing';
       ${USE}`,
    );
    for (const file of ['use.cjs', 'use.mjs']) {
      const { stdout } = await exec(node, [file], { cwd: app, timeout: 60_000 });
      expect({ file, ...JSON.parse(stdout) }).toEqual({ file, calls: 1, same: true, afterTag: false, checks: 9, counters: 1 });
    }

    await writeFile(
      join(app, 'use.ts'),
      `import { HybridCache, RedisL2, JsonSerializer, type EntryOptions, type GetResult } from '@hypercache/hybrid-cache';
       import { ChaosL2, FakeClock } from '@hypercache/hybrid-cache/testing';
       const opts: Partial<EntryOptions> = { duration: 1000, tags: ['a'] };
       export async function f(cache: HybridCache): Promise<number> {
         const r: GetResult<number> = await cache.get<number>('k');
         const v: number = await cache.getOrSet('k', (ctx) => ctx.staleValue ?? 1, opts);
         return (r.value ?? 0) + v;
       }
       export const types = [RedisL2, JsonSerializer, ChaosL2, FakeClock];
       // @ts-expect-error a factory must return the cache's value type
       export const bad = (c: HybridCache) => c.getOrSet<number>('k', () => 'text');`,
    );
    await exec(
      node,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'use.ts'],
      { cwd: app, timeout: 120_000 },
    );

    const { stdout: tree } = await exec('npm', ['ls', '--all', '--parseable'], { cwd: app });
    expect(tree).toContain('msgpackr');
    for (const unwanted of ['fastify', '@nestjs/core', '@opentelemetry/sdk-node', 'hypercache-ts']) expect(tree).not.toContain(unwanted);
  }, 600_000);
});
