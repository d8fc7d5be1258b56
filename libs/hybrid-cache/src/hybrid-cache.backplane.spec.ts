import { MemoryBackplaneHub } from './backplane/memory-backplane';
import { HybridCache } from './hybrid-cache';
import type { HybridCacheOptions } from './cache-options';
import { MemoryL2 } from './l2/memory-l2';
import { JsonSerializer } from './serializers';
import { ChaosBackplane } from './testing/chaos-backplane';
import { FakeClock, settle } from './testing/fake-clock';

/** Two instances sharing one L2 and one backplane hub, as two app processes would. */
function pair(extra: HybridCacheOptions = {}) {
  const l2 = new MemoryL2();
  const hub = new MemoryBackplaneHub();
  const bpA = new ChaosBackplane(hub.connect());
  const bpB = new ChaosBackplane(hub.connect());
  const make = (backplane: ChaosBackplane) => new HybridCache({ l2, serializer: new JsonSerializer(), backplane, ...extra });
  return { a: make(bpA), b: make(bpB), l2, bpA, bpB };
}

async function valueIn(cache: HybridCache, key: string): Promise<unknown> {
  return (await cache.get(key)).value;
}

describe('HybridCache across instances (backplane, §7, §9)', () => {
  it('a set in one instance replaces the value the other holds in L1', async () => {
    const { a, b } = pair();
    await a.set('k', 'v1');
    expect(await valueIn(b, 'k')).toBe('v1'); // now in b's L1
    await a.set('k', 'v2');
    await settle();
    expect(await valueIn(b, 'k')).toBe('v2');
    await Promise.all([a.close(), b.close()]);
  });

  it('delete and expire reach the other instance', async () => {
    const { a, b } = pair();
    await a.set('k', 'v1');
    await a.set('e', 'v1', { isFailSafeEnabled: true, failSafeMaxDuration: 600_000 });
    expect(await valueIn(b, 'k')).toBe('v1');
    expect(await valueIn(b, 'e')).toBe('v1');
    await a.delete('k');
    await a.expire('e', { isFailSafeEnabled: true });
    await settle();
    expect((await b.get('k')).found).toBe(false);
    expect((await b.get('e')).found).toBe(false);
    expect(await b.get('e', { allowStaleOnReadOnly: true })).toMatchObject({ found: true, isStale: true, value: 'v1' });
    await Promise.all([a.close(), b.close()]);
  });

  it('deleteByTag invalidates entries the other instance cached itself, which this instance never saw', async () => {
    const { a, b, l2 } = pair();
    await b.getOrSet('p1', () => 'product-1', { tags: ['products'] });
    await b.getOrSet('p2', () => 'product-2', { tags: ['products', 'featured'] });
    await b.getOrSet('u1', () => 'user-1', { tags: ['users'] });
    await a.deleteByTag('products');
    await settle();
    expect((await b.get('p1')).found).toBe(false);
    expect((await b.get('p2')).found).toBe(false);
    expect(await valueIn(b, 'u1')).toBe('user-1');
    // A third instance with an empty L1 does not resurrect them from L2 either.
    const c = new HybridCache({ l2, serializer: new JsonSerializer() });
    expect((await c.get('p2')).found).toBe(false);
    expect((await c.get('u1')).value).toBe('user-1');
    await c.close();
    await Promise.all([a.close(), b.close()]);
  });

  it('a tag invalidation reaches an instance that missed the message, through the L2 instant', async () => {
    const { a, b, bpB, l2 } = pair();
    await a.set('p1', 'old', { tags: ['products'] });
    bpB.dropIncoming = true; // b is deaf
    await a.deleteByTag('products');
    await a.expireByTag('products'); // harmless extra
    const fresh = new HybridCache({ l2, serializer: new JsonSerializer() });
    expect((await fresh.get('p1')).found).toBe(false);
    expect((await b.get('p1')).found).toBe(false); // never had it in L1: reads L2 + the tag instant
    await fresh.close();
    await Promise.all([a.close(), b.close()]);
  });

  it('expireByTag makes the other instance treat tagged entries as stale (kept for fail-safe)', async () => {
    const { a, b } = pair({ defaultEntryOptions: { isFailSafeEnabled: true, failSafeMaxDuration: 600_000 } });
    await b.getOrSet('p1', () => 'product-1', { tags: ['products'] });
    await a.expireByTag('products');
    await settle();
    expect((await b.get('p1')).found).toBe(false);
    await expect(b.getOrSet('p1', () => Promise.reject(new Error('db down')))).resolves.toBe('product-1');
    await expect(b.getOrSet('p1', () => 'product-1b', { failSafeThrottleDuration: 0 })).resolves.toBe('product-1b');
    await Promise.all([a.close(), b.close()]);
  });

  it('a write right after deleteByTag in the same millisecond survives it', async () => {
    const { a, b } = pair();
    await a.deleteByTag('t');
    await a.set('k', 'new', { tags: ['t'] });
    await settle();
    expect(await valueIn(a, 'k')).toBe('new');
    expect(await valueIn(b, 'k')).toBe('new');
    await Promise.all([a.close(), b.close()]);
  });

  it('clear() reaches every instance; clear(true) also empties L2 under the prefix', async () => {
    const { a, b, l2 } = pair({ keyPrefix: 'app:' });
    await b.set('k1', 'v');
    await b.set('k2', 'v');
    await a.clear();
    await settle();
    expect(b.l1Count()).toBe(0);
    expect(await valueIn(b, 'k1')).toBe('v'); // L2 kept
    await a.clear(true);
    await settle();
    expect((await b.get('k1')).found).toBe(false);
    expect(l2.size).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('namespaces are nestable and their clear() reaches every instance without touching other keys', async () => {
    // Instances judge entries by write instants: the clears below come a millisecond after the
    // writes they must cover (on the wall clock the test raced when both fell in one millisecond).
    const clock = new FakeClock();
    const { a, b } = pair({ timers: clock });
    const usersA = a.namespace('users');
    const usersB = b.namespace('users');
    const adminsB = usersB.namespace('admins');
    await usersB.set('1', 'alice');
    await adminsB.set('1', 'root');
    await b.set('1', 'top-level');
    expect(await valueIn(usersB, '1')).toBe('alice');
    expect(await valueIn(adminsB, '1')).toBe('root');
    await clock.advance(1);
    await usersA.clear();
    await settle();
    expect((await usersB.get('1')).found).toBe(false);
    expect((await adminsB.get('1')).found).toBe(false); // nested namespace cleared with its parent
    expect(await valueIn(b, '1')).toBe('top-level');
    await adminsB.set('2', 'again');
    await clock.advance(1);
    await a.namespace('users').namespace('admins').clear();
    await settle();
    expect((await adminsB.get('2')).found).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('a backplane outage queues the publish, retries it, and the reconnected instance drops its L1', async () => {
    const { a, b, bpA, bpB } = pair({ autoRecoveryDelay: 10 });
    await a.set('k', 'v1');
    expect(await valueIn(b, 'k')).toBe('v1');
    bpA.mode = 'fail';
    bpB.dropIncoming = true;
    await a.set('k', 'v2');
    await a.set('k', 'v3'); // de-duplicated per key
    expect(await valueIn(b, 'k')).toBe('v1'); // b cannot know yet
    bpB.dropIncoming = false;
    bpB.simulateReconnect();
    await settle();
    expect(await valueIn(b, 'k')).toBe('v3'); // L1 dropped → read L2
    bpA.mode = 'ok';
    await a.flushBackplane();
    expect(bpA.published.filter((m) => m.key === 'k')).toHaveLength(2); // the first set, then one retried message
    await Promise.all([a.close(), b.close()]);
  });

  it('a lost message (gap in the sender’s sequence) makes the receiver drop its L1', async () => {
    const { a, b, bpB } = pair();
    await a.set('x', 'x1');
    await a.set('y', 'y1');
    expect(await valueIn(b, 'x')).toBe('x1');
    expect(await valueIn(b, 'y')).toBe('y1');
    await settle();
    bpB.dropIncoming = true;
    await a.set('x', 'x2'); // lost on b's side
    await settle();
    bpB.dropIncoming = false;
    await a.set('z', 'z1'); // next message reveals the gap
    await settle();
    expect(await valueIn(b, 'x')).toBe('x2');
    expect(b.counters().l1Resyncs).toBeGreaterThan(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('ignores messages of another cache name, its own messages, and everything with ignoreIncomingBackplaneNotifications', async () => {
    const l2 = new MemoryL2();
    const hub = new MemoryBackplaneHub();
    const a = new HybridCache({ cacheName: 'one', l2, serializer: new JsonSerializer(), backplane: hub.connect() });
    const b = new HybridCache({ cacheName: 'two', l2, serializer: new JsonSerializer(), backplane: hub.connect() });
    const deaf = new HybridCache({ cacheName: 'one', l2, serializer: new JsonSerializer(), backplane: hub.connect(), ignoreIncomingBackplaneNotifications: true });
    await b.set('k', 'b-value', { skipL2Write: true });
    await deaf.set('k', 'old', { skipL2Write: true });
    await a.set('k', 'a-value');
    await settle();
    expect(await valueIn(b, 'k')).toBe('b-value');
    expect(await valueIn(deaf, 'k')).toBe('old');
    expect(await valueIn(a, 'k')).toBe('a-value');
    await Promise.all([a.close(), b.close(), deaf.close()]);
  });
});
