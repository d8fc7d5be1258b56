import { PeerStatusError } from './errors';
import { InProcessPeerRegistry } from './in-process-peer-registry';
import { InProcessTransport } from './in-process-transport';
import { MapPeerHandler } from './testing/map-peer-handler';
import { rejectionOf, wireItem } from './testing/transport-test-kit';

const peerB = { id: 'node-b', address: 'node-b:7946' };

describe(InProcessTransport.name, () => {
  it('runs the handler asynchronously, never inside the caller frame', async () => {
    const registry = new InProcessPeerRegistry();
    const handler = new MapPeerHandler();
    registry.register(peerB.address, handler);
    const pending = new InProcessTransport(registry).set(peerB, wireItem(), false);
    expect(handler.sets).toHaveLength(0);
    await pending;
    expect(handler.sets).toHaveLength(1);
  });

  it('makes a peer unreachable once it is unregistered, and reachable again when re-registered', async () => {
    const registry = new InProcessPeerRegistry();
    const unregister = registry.register(peerB.address, new MapPeerHandler());
    const sut = new InProcessTransport(registry);
    await sut.health(peerB);
    unregister();
    expect((await rejectionOf(sut.health(peerB))).code).toBe('PEER_UNREACHABLE');
    registry.register(peerB.address, new MapPeerHandler());
    await sut.health(peerB);
    expect(registry.addresses).toEqual([peerB.address]);
  });

  it('refuses two handlers at one address, and a stale unregister leaves the new handler alone', () => {
    const registry = new InProcessPeerRegistry();
    const unregisterFirst = registry.register(peerB.address, new MapPeerHandler());
    expect(() => registry.register(peerB.address, new MapPeerHandler())).toThrow();
    unregisterFirst();
    const second = new MapPeerHandler();
    registry.register(peerB.address, second);
    unregisterFirst();
    expect(registry.resolve(peerB.address)).toBe(second);
  });

  it('answers 400 for a handler BAD_REQUEST and 500 INTERNAL for an error without a code', async () => {
    const registry = new InProcessPeerRegistry();
    const handler = new MapPeerHandler();
    registry.register(peerB.address, handler);
    const sut = new InProcessTransport(registry);
    handler.handleRemove = () => {
      throw Object.assign(new Error('invalid key'), { code: 'BAD_REQUEST' });
    };
    handler.handleKeys = () => {
      throw new TypeError('boom');
    };
    const bad = (await rejectionOf(sut.remove(peerB, 'k', false))) as PeerStatusError;
    expect([bad.status, bad.remoteCode]).toEqual([400, 'BAD_REQUEST']);
    const internal = (await rejectionOf(sut.keys(peerB, undefined))) as PeerStatusError;
    expect([internal.status, internal.remoteCode]).toEqual([500, 'INTERNAL']);
  });

  it('carries TTLs across the nanosecond Expiration field without inflating them', async () => {
    const registry = new InProcessPeerRegistry();
    const handler = new MapPeerHandler();
    registry.register(peerB.address, handler);
    handler.items.set('k', wireItem({ ttlMs: 30_000 }));
    const got = await new InProcessTransport(registry).get(peerB, 'k');
    expect(got!.ttlMs).toBe(30_000);
  });
});
