import { BackplaneMessageType, type Backplane, type BackplaneMessage, type L2Adapter } from '@hypercache/hybrid-cache';

/** One conformance check: run it with any test framework (`for (const c of cases) it(c.name, c.run)`). */
export interface ConformanceCase {
  name: string;
  run: () => Promise<void>;
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`conformance: ${what}`);
}

function text(b: Uint8Array | null): string | null {
  return b === null ? null : Buffer.from(b).toString('utf8');
}

async function eventually(cond: () => Promise<boolean> | boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`conformance: ${what} (not within ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The L2 adapter contract (§11) as runnable checks. `make` returns a fresh, empty adapter scoped so
 * that `clear('')` of it does not touch foreign data (e.g. a unique Redis key prefix).
 */
export function l2AdapterConformance(make: () => Promise<L2Adapter> | L2Adapter): ConformanceCase[] {
  const b = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  return [
    {
      name: 'a missing key reads as null, not an error',
      run: async () => check((await (await make()).get('nope')) === null, 'get of a missing key must be null'),
    },
    {
      name: 'set then get returns the same bytes; a second set overwrites',
      run: async () => {
        const a = await make();
        await a.set('k', b('v1'), 0, []);
        check(text(await a.get('k')) === 'v1', 'get after set');
        await a.set('k', b('v2'), 0, []);
        check(text(await a.get('k')) === 'v2', 'overwrite');
      },
    },
    {
      name: 'a TTL expires the key; ttl 0 never expires',
      run: async () => {
        const a = await make();
        await a.set('short', b('x'), 60, []);
        await a.set('forever', b('y'), 0, []);
        await eventually(async () => (await a.get('short')) === null, 'key with ttl 60 ms must expire');
        check(text(await a.get('forever')) === 'y', 'ttl 0 must not expire');
      },
    },
    {
      name: 'delete removes a key; deleting a missing key is fine',
      run: async () => {
        const a = await make();
        await a.set('k', b('v'), 0, []);
        await a.delete('k');
        await a.delete('never-there');
        check((await a.get('k')) === null, 'deleted key must read null');
      },
    },
    {
      name: 'deleteByTag removes exactly the keys stored with the tag',
      run: async () => {
        const a = await make();
        await a.set('a', b('1'), 0, ['red']);
        await a.set('b', b('2'), 0, ['red', 'blue']);
        await a.set('c', b('3'), 0, ['blue']);
        await a.deleteByTag('red');
        check((await a.get('a')) === null && (await a.get('b')) === null, 'tagged keys must be gone');
        check(text(await a.get('c')) === '3', 'other keys must stay');
        await a.deleteByTag('unknown-tag');
      },
    },
    {
      name: 're-setting a key without a tag takes it out of that tag',
      run: async () => {
        const a = await make();
        await a.set('k', b('1'), 0, ['t']);
        await a.set('k', b('2'), 0, []);
        await a.deleteByTag('t');
        check(text(await a.get('k')) === '2', 'a key re-set without the tag must survive deleteByTag');
      },
    },
    {
      name: 'clear(prefix) removes only keys with that prefix',
      run: async () => {
        const a = await make();
        await a.set('p1:x', b('1'), 0, []);
        await a.set('p2:x', b('2'), 0, []);
        await a.clear('p1:');
        check((await a.get('p1:x')) === null, 'prefixed key must be gone');
        check(text(await a.get('p2:x')) === '2', 'other prefix must stay');
      },
    },
    {
      name: 'getMany answers in order with nulls for misses (when offered)',
      run: async () => {
        const a = await make();
        if (a.getMany === undefined) return;
        await a.set('m1', b('1'), 0, []);
        await a.set('m3', b('3'), 0, []);
        const r = await a.getMany(['m1', 'm2', 'm3']);
        check(r.length === 3 && text(r[0]!) === '1' && r[1] === null && text(r[2]!) === '3', 'getMany order');
      },
    },
    {
      name: 'ping resolves on a reachable store',
      run: async () => {
        await (await make()).ping();
      },
    },
  ];
}

/**
 * The backplane contract (§9) as runnable checks. `make` returns a new backplane attached to the
 * same bus as the previous ones of this check (two instances are created per check).
 */
export function backplaneConformance(make: () => Promise<Backplane> | Backplane): ConformanceCase[] {
  const msg = (over: Partial<BackplaneMessage> = {}): BackplaneMessage => ({
    type: BackplaneMessageType.Set,
    cacheName: 'conformance',
    key: 'k',
    sourceId: 'node-a',
    timestamp: 1,
    seq: 1,
    ...over,
  });
  return [
    {
      name: 'a published message reaches another instance with every field intact',
      run: async () => {
        const a = await make();
        const b = await make();
        const got: BackplaneMessage[] = [];
        await b.subscribe({ onMessage: (m) => got.push(m) });
        const sent = msg({ type: BackplaneMessageType.DeleteByTag, key: 'tag-1', timestamp: 42, seq: 7 });
        await a.publish(sent);
        await eventually(() => got.some((m) => m.key === 'tag-1'), 'message must arrive');
        const m = got.find((x) => x.key === 'tag-1')!;
        check(m.type === sent.type && m.cacheName === sent.cacheName && m.sourceId === sent.sourceId && m.timestamp === 42 && m.seq === 7, 'fields intact');
        await a.close();
        await b.close();
      },
    },
    {
      name: 'messages from one publisher arrive in order',
      run: async () => {
        const a = await make();
        const b = await make();
        const got: number[] = [];
        await b.subscribe({ onMessage: (m) => m.key === 'order' && got.push(m.seq) });
        for (let i = 1; i <= 20; i++) await a.publish(msg({ key: 'order', seq: i }));
        await eventually(() => got.length === 20, '20 messages must arrive');
        check(got.every((s, i) => s === i + 1), 'in publish order');
        await a.close();
        await b.close();
      },
    },
    {
      name: 'an empty sourceId is filled by publish',
      run: async () => {
        const a = await make();
        const b = await make();
        const got: BackplaneMessage[] = [];
        await b.subscribe({ onMessage: (m) => got.push(m) });
        await a.publish(msg({ sourceId: '', key: 'anon' }));
        await eventually(() => got.some((m) => m.key === 'anon'), 'message must arrive');
        check(got.find((m) => m.key === 'anon')!.sourceId !== '', 'sourceId must be set');
        await a.close();
        await b.close();
      },
    },
    {
      name: 'the handler never runs on the publisher’s call stack',
      run: async () => {
        const a = await make();
        let publishing = false;
        let onStack = false;
        let seen = false;
        await a.subscribe({
          onMessage: (m) => {
            if (m.key !== 'stack') return;
            seen = true;
            onStack ||= publishing;
          },
        });
        publishing = true;
        const p = a.publish(msg({ key: 'stack' }));
        publishing = false;
        await p;
        await eventually(() => seen, 'own message must be delivered to own subscription (receivers filter by sourceId)');
        check(!onStack, 'delivery must be asynchronous');
        await a.close();
      },
    },
    {
      name: 'a cancelled subscription receives nothing more; close is idempotent',
      run: async () => {
        const a = await make();
        const b = await make();
        const got: string[] = [];
        const cancel = await b.subscribe({ onMessage: (m) => got.push(m.key) });
        await a.publish(msg({ key: 'before' }));
        await eventually(() => got.includes('before'), 'first message');
        cancel();
        await a.publish(msg({ key: 'after' }));
        await a.publish(msg({ key: 'marker' }));
        const c = await make();
        const seen: string[] = [];
        await c.subscribe({ onMessage: (m) => seen.push(m.key) });
        await a.publish(msg({ key: 'final' }));
        await eventually(() => seen.includes('final'), 'a live subscriber still gets messages');
        check(!got.includes('after'), 'cancelled subscriber must not receive');
        await a.close();
        await a.close();
        await b.close();
        await c.close();
      },
    },
  ];
}
