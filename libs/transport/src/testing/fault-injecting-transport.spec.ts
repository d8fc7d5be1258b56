import * as production from '../index';
import { InProcessPeerRegistry } from '../in-process-peer-registry';
import { InProcessTransport } from '../in-process-transport';
import { PeerUnreachableError } from '../errors';
import type { FaultInjectionOptions } from './fault-injecting-transport';
import { FaultInjectingTransport } from './index';
import { MapPeerHandler } from './map-peer-handler';
import { rejectionOf, wireItem } from './transport-test-kit';

const b = { id: 'node-b', address: 'node-b:7946' };
const c = { id: 'node-c', address: 'node-c:7946' };

function rig(options: Omit<FaultInjectionOptions, 'testOnly'> = {}) {
  const registry = new InProcessPeerRegistry();
  const handlers = { b: new MapPeerHandler(), c: new MapPeerHandler() };
  registry.register(b.address, handlers.b);
  registry.register(c.address, handlers.c);
  const slept: number[] = [];
  const sut = new FaultInjectingTransport(new InProcessTransport(registry), {
    testOnly: true,
    sleep: async (ms) => void slept.push(ms),
    ...options,
  });
  return { sut, handlers, slept };
}

/** Deterministic "random": returns the given values in turn, then repeats the last. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

describe(FaultInjectingTransport.name, () => {
  it('cannot be constructed without testOnly: true', () => {
    const inner = new InProcessTransport(new InProcessPeerRegistry());
    for (const bad of [undefined, {}, { testOnly: false }, { testOnly: 'true' }]) {
      expect(() => new FaultInjectingTransport(inner, bad as unknown as FaultInjectionOptions)).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST', option: 'testOnly' }),
      );
    }
  });

  it('is not exported from the production entry', () => {
    expect(Object.keys(production)).not.toContain('FaultInjectingTransport');
    expect(Object.keys(production)).toContain('HttpPeerTransport');
  });

  it('passes calls through untouched by default', async () => {
    const { sut, handlers } = rig();
    await sut.set(b, wireItem(), true);
    await expect(sut.get(b, 'k')).resolves.toMatchObject({ key: 'k' });
    await sut.remove(b, 'k', false, 3, 'node-a');
    await sut.health(b);
    await expect(sut.keys(b, undefined)).resolves.toEqual([]);
    expect([handlers.b.sets.length, handlers.b.removes.length]).toEqual([1, 1]);
  });

  it('fails every operation to a partitioned peer (by ID or address) without reaching it, until healed', async () => {
    const { sut, handlers } = rig();
    sut.partition('node-b');
    sut.partition(c.address);
    for (const peer of [b, c]) {
      for (const call of [sut.set(peer, wireItem(), false), sut.get(peer, 'k'), sut.remove(peer, 'k', false), sut.health(peer), sut.keys(peer, undefined)]) {
        const e = await rejectionOf(call);
        expect(e).toBeInstanceOf(PeerUnreachableError);
        expect(e.code).toBe('PEER_UNREACHABLE');
      }
    }
    expect(handlers.b.sets.length + handlers.c.sets.length + handlers.b.removes.length).toBe(0);
    expect(sut.stats.partitionRejections).toBe(10);

    sut.heal('node-b');
    await sut.set(b, wireItem(), false);
    expect(sut.isPartitioned(c)).toBe(true);
    sut.heal();
    await sut.set(c, wireItem(), false);
    expect([handlers.b.sets.length, handlers.c.sets.length]).toEqual([1, 1]);
  });

  it('drops the configured share of calls before they reach the peer', async () => {
    const { sut, handlers } = rig({ dropRate: 0.5, random: sequence(0.1, 0.9, 0.49, 0.5) });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await sut.set(b, wireItem({ key: `k${i}` }), false).then(() => 'ok', (e: Error & { code?: string }) => e.code));
    expect(outcomes).toEqual(['PEER_UNREACHABLE', 'ok', 'PEER_UNREACHABLE', 'ok']);
    expect([...handlers.b.items.keys()]).toEqual(['k1', 'k3']);
    expect(sut.stats.drops).toBe(2);
  });

  it('clamps the drop rate to [0, 1] and rejects NaN', async () => {
    const { sut } = rig({ random: () => 0.999 });
    sut.setDropRate(7);
    expect((await rejectionOf(sut.health(b))).code).toBe('PEER_UNREACHABLE');
    sut.setDropRate(-3);
    await sut.health(b);
    expect(() => sut.setDropRate(Number.NaN)).toThrow(expect.objectContaining({ option: 'dropRate' }));
  });

  it('delays the configured share of calls by latencyMs', async () => {
    const { sut, slept } = rig({ latencyMs: 40, latencyRate: 0.5, random: sequence(0.2, 0.7, 0.1) });
    await sut.health(b);
    await sut.health(b);
    await sut.health(b);
    expect(slept).toEqual([40, 40]);
    expect(sut.stats.latencies).toBe(2);
    sut.setLatency(0);
    await sut.health(b);
    expect(slept).toHaveLength(2);
  });

  it('fails a delayed call when the peer gets partitioned during the delay', async () => {
    let release!: () => void;
    const registry = new InProcessPeerRegistry();
    const handler = new MapPeerHandler();
    registry.register(b.address, handler);
    const sut = new FaultInjectingTransport(new InProcessTransport(registry), {
      testOnly: true,
      latencyMs: 10,
      sleep: () => new Promise<void>((r) => (release = r)),
    });
    const pending = sut.set(b, wireItem(), false);
    await Promise.resolve();
    sut.partition('node-b');
    release();
    expect((await rejectionOf(pending)).code).toBe('PEER_UNREACHABLE');
    expect(handler.sets).toHaveLength(0);
  });

  it('really waits with the default sleep', async () => {
    const registry = new InProcessPeerRegistry();
    registry.register(b.address, new MapPeerHandler());
    const sut = new FaultInjectingTransport(new InProcessTransport(registry), { testOnly: true, latencyMs: 30 });
    const started = performance.now();
    await sut.health(b);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('closes the inner transport', async () => {
    const { sut } = rig();
    await sut.close();
    expect((await rejectionOf(sut.health(b))).code).toBe('TRANSPORT_CLOSED');
  });
});
