import type { BatchOp, BatchResult } from './batch-wire';
import { PeerBatcher } from './peer-batcher';
import type { PeerAddress } from './peer-address';

const A: PeerAddress = { id: 'node-a', address: '127.0.0.1:1' };
const B: PeerAddress = { id: 'node-b', address: '127.0.0.1:2' };
const op = (key: string): BatchOp => ({ kind: 'remove', key, replicate: false });

/** A controllable sender: records every batch and lets the test settle it. */
function recordingSender() {
  const calls: Array<{ peer: PeerAddress; keys: string[]; settle: (r: BatchResult[] | Error) => void }> = [];
  const send = (peer: PeerAddress, ops: BatchOp[]) =>
    new Promise<BatchResult[]>((resolve, reject) => {
      calls.push({
        peer,
        keys: ops.map((o) => (o.kind === 'remove' ? o.key : o.item.key)),
        settle: (r) => (r instanceof Error ? reject(r) : resolve(r)),
      });
    });
  return { calls, send };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('PeerBatcher', () => {
  it('sends everything queued for a peer in one event-loop turn as one batch, per peer', async () => {
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 100, maxInFlight: 4 });
    const done = [sut.submit(A, op('a1')), sut.submit(B, op('b1')), sut.submit(A, op('a2')), sut.submit(A, op('a3'))];
    await turn();
    expect(calls.map((c) => [c.peer.id, c.keys])).toEqual([
      ['node-a', ['a1', 'a2', 'a3']],
      ['node-b', ['b1']],
    ]);
    calls[0]!.settle([undefined, { status: 404, code: 'NOT_FOUND', error: 'not owner' }, undefined]);
    calls[1]!.settle([undefined]);
    await expect(Promise.all(done)).resolves.toEqual([undefined, undefined, { status: 404, code: 'NOT_FOUND', error: 'not owner' }, undefined]);
    expect([sut.batches, sut.operations]).toEqual([2, 4]);
  });

  it('keeps coordinator operations (replicate: true) and store operations in separate lanes', async () => {
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 100, maxInFlight: 1 });
    void sut.submit(A, { kind: 'remove', key: 'forward', replicate: true });
    await turn();
    // The forward's batch is outstanding (its lane is full); a store operation still leaves at once.
    const store = sut.submit(A, op('replica'));
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['forward'], ['replica']]);
    calls[1]!.settle([undefined]);
    await expect(store).resolves.toBeUndefined();
  });

  it('lingers lingerTurns event-loop turns so later operations join the batch; a full batch leaves at once', async () => {
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 4, maxInFlight: 1, lingerTurns: 3 });
    void sut.submit(A, op('t0'));
    await turn();
    void sut.submit(A, op('t1'));
    await turn();
    expect(calls).toHaveLength(0);
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['t0', 't1']]);
    calls[0]!.settle([undefined, undefined]);
    await turn();
    for (let i = 0; i < 4; i++) void sut.submit(B, op(`full${i}`));
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['t0', 't1'], ['full0', 'full1', 'full2', 'full3']]);
  });

  it('splits at maxOps', async () => {
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 3, maxInFlight: 10 });
    for (let i = 0; i < 7; i++) void sut.submit(A, op(`k${i}`));
    await turn();
    expect(calls.map((c) => c.keys.length)).toEqual([3, 3, 1]);
  });

  it('splits at maxBytes; an operation larger than maxBytes travels alone; a batch full by bytes leaves without lingering', async () => {
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 100, maxBytes: 1_000, maxInFlight: 10, lingerTurns: 50 });
    const set = (key: string, bytes: number): BatchOp => ({
      kind: 'set',
      item: { key, value: Buffer.alloc(bytes), version: 1, origin: 'o', ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: 0 },
      replicate: false,
    });
    // Estimated sizes: value + 3 × (key + origin) + 48 = value + 54 for these one-letter names.
    for (const [key, bytes] of [['a', 400], ['b', 400], ['c', 400], ['h', 5_000], ['d', 100]] as const) void sut.submit(A, set(key, bytes));
    await turn();
    // Lingering 50 turns is cut short: the queue already holds more than maxBytes.
    expect(calls.map((c) => c.keys)).toEqual([['a', 'b'], ['c'], ['h'], ['d']]);
  });

  it('holds operations while maxInFlight batches are outstanding, then sends them together', async () => {
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 100, maxInFlight: 1 });
    const first = sut.submit(A, op('k0'));
    await turn();
    const later = [1, 2, 3].map((i) => sut.submit(A, op(`k${i}`)));
    await turn();
    await turn();
    expect(calls).toHaveLength(1);
    calls[0]!.settle([undefined]);
    await first;
    await turn();
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['k0'], ['k1', 'k2', 'k3']]);
    calls[1]!.settle([undefined, undefined, undefined]);
    await expect(Promise.all(later)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('rejects every operation of a batch whose call failed, and keeps serving the peer', async () => {
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 100, maxInFlight: 1 });
    const failed = [sut.submit(A, op('x')), sut.submit(A, op('y'))];
    await turn();
    const boom = new Error('connection refused');
    calls[0]!.settle(boom);
    for (const p of failed) await expect(p).rejects.toBe(boom);
    const next = sut.submit(A, op('z'));
    await turn();
    calls[1]!.settle([undefined]);
    await expect(next).resolves.toBeUndefined();
  });

  it('fails the operations queued behind a batch to an unreachable peer at once, and never holds up other peers', async () => {
    class Unreachable extends Error {}
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 100, maxInFlight: 1, failQueuedOn: (e) => e instanceof Unreachable });
    const first = sut.submit(A, op('a1'));
    await turn();
    // a1's batch hangs (a dropped packet); more work for A queues behind it, B is unaffected.
    const queued = [sut.submit(A, op('a2')), sut.submit(A, op('a3'))];
    const other = sut.submit(B, op('b1'));
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['a1'], ['b1']]);
    calls[1]!.settle([undefined]);
    await expect(other).resolves.toBeUndefined();
    calls[0]!.settle(new Unreachable('timeout'));
    await expect(first).rejects.toBeInstanceOf(Unreachable);
    // The queued operations fail with it instead of riding the next batch into another timeout.
    for (const q of queued) await expect(q).rejects.toBeInstanceOf(Unreachable);
    await turn();
    expect(calls).toHaveLength(2);
  });

  it('keeps forwards moving past a forward batch the receiver cannot answer quickly (coordinatorMaxInFlight)', async () => {
    const { calls, send } = recordingSender();
    const sut = new PeerBatcher(send, { maxOps: 100, maxInFlight: 1, coordinatorMaxInFlight: 4 });
    void sut.submit(A, { kind: 'remove', key: 'stuck', replicate: true });
    await turn();
    const next = sut.submit(A, { kind: 'remove', key: 'next', replicate: true });
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['stuck'], ['next']]);
    calls[1]!.settle([undefined]);
    await expect(next).resolves.toBeUndefined();
    // The store lane keeps its own limit.
    void sut.submit(A, op('s1'));
    await turn();
    void sut.submit(A, op('s2'));
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['stuck'], ['next'], ['s1']]);
  });
});
