import type { NodeCache } from '../node-cache';

/** A {@link NodeCache} under test and how to release it. */
export interface NodeCacheSubject {
  readonly cache: NodeCache;
  close(): Promise<void>;
}

/**
 * The conformance suite of the node seam: every {@link NodeCache} implementation (the in-memory
 * cluster today, Redis next) runs it with its own factory, so the apps can rely on one contract.
 * Each test gets a fresh subject; keys are unique per test.
 */
export function describeNodeCacheConformance(name: string, make: () => Promise<NodeCacheSubject>): void {
  describe(`NodeCache conformance: ${name}`, () => {
    let subject: NodeCacheSubject;
    let sut: NodeCache;
    beforeEach(async () => {
      subject = await make();
      sut = subject.cache;
    });
    afterEach(() => subject.close());

    it('reads back the exact bytes written, with the key and a version', async () => {
      const bytes = Buffer.from([0, 0xff, 0xc3, 0x28, 0x0a]);
      const w = await sut.set('conf:bytes', bytes, 0);
      expect(w.owners.length).toBeGreaterThan(0);
      const item = await sut.get('conf:bytes');
      expect(item?.value.equals(bytes)).toBe(true);
      expect(item?.key).toBe('conf:bytes');
      expect(item?.expiresAtMs).toBe(0);
      expect(item?.version).toBeGreaterThan(0);
    });

    it('answers undefined for a missing key, and the fast path (when offered) agrees with get', async () => {
      expect(await sut.get('conf:missing')).toBeUndefined();
      await sut.set('conf:fast', Buffer.from('v'), 0);
      if (sut.getLocal !== undefined) {
        expect(sut.getLocal('conf:missing')).toBeUndefined();
        expect(sut.getLocal('conf:fast')?.toString()).toBe('v');
      }
      expect((await sut.get('conf:fast'))?.value.toString()).toBe('v');
    });

    it('completes a write through the synchronous fast path (when offered) as set would', async () => {
      if (sut.setLocal === undefined) return;
      const first = await sut.set('conf:fastset', Buffer.from('v1'), 0);
      const before = await sut.get('conf:fastset');
      const fast = sut.setLocal('conf:fastset', Buffer.from('v2'), 0);
      // A write this node cannot complete alone is left to set: nothing stored.
      if (fast === undefined) {
        expect((await sut.get('conf:fastset'))?.value.toString()).toBe('v1');
        return;
      }
      expect(fast.owners).toEqual(first.owners);
      const item = await sut.get('conf:fastset');
      expect(item?.value.toString()).toBe('v2');
      expect(item?.version).toBeGreaterThan(before?.version ?? Number.POSITIVE_INFINITY);
    });

    it('gives a TTL write an absolute expiry in the future', async () => {
      const before = Date.now();
      await sut.set('conf:ttl', Buffer.from('v'), 60_000);
      const item = await sut.get('conf:ttl');
      expect(item?.expiresAtMs).toBeGreaterThanOrEqual(before + 59_000);
    });

    it('removes idempotently: a removed key reads as missing, removing a missing key succeeds', async () => {
      await sut.set('conf:rm', Buffer.from('v'), 0);
      expect((await sut.remove('conf:rm')).owners.length).toBeGreaterThan(0);
      expect(await sut.get('conf:rm')).toBeUndefined();
      await expect(sut.remove('conf:rm')).resolves.toBeDefined();
    });

    it('answers batches with one entry per input, in order', async () => {
      const written = await sut.setMany([
        { key: 'conf:b1', value: Buffer.from('one'), ttlMs: 0 },
        { key: 'conf:b2', value: Buffer.from('two'), ttlMs: 0 },
      ]);
      expect(written.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const items = await sut.getMany(['conf:b2', 'conf:none', 'conf:b1']);
      expect(items.map((i) => i?.value.toString())).toEqual(['two', undefined, 'one']);
      const removed = await sut.removeMany(['conf:b1', 'conf:none']);
      expect(removed.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(await sut.get('conf:b1')).toBeUndefined();
    });

    it('pages keys by prefix and glob, sorted, and rejects a bad glob with code BAD_REQUEST', async () => {
      for (const k of ['conf:k/b', 'conf:k/a', 'conf:k/c', 'other']) await sut.set(k, Buffer.from('v'), 0);
      const page = await sut.keys({ pattern: 'conf:k/', cursor: 0, limit: 2, max: 100 });
      expect(page.keys).toEqual(['conf:k/a', 'conf:k/b']);
      expect(page.total_matched).toBe(3);
      expect(page.node).toBe(sut.nodeId);
      const next = await sut.keys({ pattern: 'conf:k/', cursor: Number(page.next_cursor), limit: 2, max: 100 });
      expect(next.keys).toEqual(['conf:k/c']);
      expect((await sut.keys({ pattern: 'conf:k/?', cursor: 0, limit: 10, max: 100 })).keys).toEqual(['conf:k/a', 'conf:k/b', 'conf:k/c']);
      await expect(sut.keys({ pattern: 'conf:[', cursor: 0, limit: 10, max: 100 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('names owners for any key, and offers the maintenance view', async () => {
      expect(sut.ownersOf('never-written').length).toBeGreaterThan(0);
      await sut.set('conf:m', Buffer.from('v'), 0);
      expect(sut.maintenance.config().allocation).toBeGreaterThan(0);
      sut.maintenance.clear();
      expect(await sut.get('conf:m')).toBeUndefined();
    });
  });
}
