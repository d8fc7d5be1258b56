import { hasSubscribers } from 'node:diagnostics_channel';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { HyperCache } from '@hypercache/cache-engine';
import { DistChannelName, DistributedCache, EngineLocalStore, TransportPeerClient } from '@hypercache/distributed';
import { loadXxhash64 } from '@hypercache/hashing';
import { HashRing, RingTopology } from '@hypercache/membership';
import { DIST_CHANNELS, Telemetry } from '@hypercache/telemetry';
import { HttpPeerTransport } from '@hypercache/transport';

/** A one-node distributed cache (it owns every key, so no peer is ever called). */
async function singleNode(id: string): Promise<DistributedCache> {
  const ring = new HashRing(await loadXxhash64(), [id], { replication: 1, virtualNodes: 8 });
  const engine = new HyperCache<Buffer>({ nodeId: id, now: Date.now, expiry: 'absolute', evictionIntervalMs: 0, expirationIntervalMs: 0 });
  const peers = new TransportPeerClient(new HttpPeerTransport({}), () => undefined);
  const topology = new RingTopology(id, ring);
  return new DistributedCache({ nodeId: id, store: new EngineLocalStore(engine), ownership: () => topology, peers, clock: engine.clock, now: Date.now });
}

describe('dist tracing through diagnostics channels', () => {
  it('telemetry subscribes by the very channel names the data path publishes on', () => {
    expect(DIST_CHANNELS).toEqual({ op: DistChannelName.Op, peerCall: DistChannelName.PeerCall, localHit: DistChannelName.LocalHit });
  });

  it('without a tracer nothing subscribes and the dist cache keeps its prototype methods', async () => {
    const sut = Telemetry.create({ nodeId: 'n1', version: 'test', env: {} });
    const dist = await singleNode('n1');
    expect(hasSubscribers(`tracing:${DistChannelName.Op}:start`)).toBe(false);
    await dist.set('k', Buffer.from('v'), 0);
    expect((await dist.get('k'))?.value.toString()).toBe('v');
    for (const m of ['set', 'get', 'remove', 'localValue', 'handleSet', 'handleRemove'] as const) {
      expect(Object.hasOwn(dist, m)).toBe(false);
      expect(dist[m]).toBe(DistributedCache.prototype[m]);
    }
    await sut.shutdown();
  });

  it('with a tracer, operations become spans of their node only, and nothing on the dist cache is replaced', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const sut = Telemetry.create({ nodeId: 'n1', version: 'test', env: {}, tracer: provider.getTracer('test') });
    const mine = await singleNode('n1');
    const other = await singleNode('n2');
    await mine.set('key', Buffer.from('v'), 0);
    await other.set('key', Buffer.from('v'), 0);
    expect(mine.localValue('key')?.toString()).toBe('v');
    expect(await mine.get('absent')).toBeUndefined();
    expect(Object.hasOwn(mine, 'set')).toBe(false);
    const spans = exporter.getFinishedSpans().map((s) => [s.name, s.attributes]);
    expect(spans).toEqual([
      ['dist.set', { 'cache.key.length': 3, 'dist.consistency': 'QUORUM', 'dist.owners.count': 1, 'dist.acks': 1 }],
      ['dist.get', { 'cache.key.length': 3, 'dist.consistency': 'ONE', 'dist.owners.count': 1, 'cache.hit': true, 'dist.local': true }],
      ['dist.get', { 'cache.key.length': 6, 'dist.consistency': 'ONE', 'dist.owners.count': 1, 'cache.hit': false }],
    ]);
    await sut.shutdown();
    expect(hasSubscribers(`tracing:${DistChannelName.Op}:start`)).toBe(false);
    await provider.shutdown();
  });
});
