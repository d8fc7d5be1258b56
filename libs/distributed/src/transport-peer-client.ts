import { PeerStatusError, PeerUnreachableError, type PeerAddress, type PeerTransport } from '@hypercache/transport';
import type { DistItem } from './local-store';
import type { PeerClient } from './peer-client';
import { peerCalls } from './dist-channels';
import { ForwardExpiredError, ItemRefusedError, QuorumFailedError, QuorumUnavailableError, StaleVersionError } from './errors';

/**
 * {@link PeerClient} over a {@link PeerTransport}: resolves node IDs to dist addresses through
 * `addressOf` (membership); an ID not in membership fails locally without network I/O
 * (dist-protocol.md §17.1).
 */
export class TransportPeerClient implements PeerClient {
  constructor(
    private readonly transport: PeerTransport,
    private readonly addressOf: (nodeId: string) => string | undefined,
  ) {}

  set(peerId: string, item: DistItem, replicate: boolean, check = false): Promise<void> {
    // Every replica of every write passes here: no async wrapper or closure unless traced.
    if (peerCalls.hasSubscribers) return peerCalls.tracePromise(async () => this.transport.set(this.#peer(peerId, 'set'), item, replicate, check), { call: 'set', peerId, replicate });
    const peer = this.addressOf(peerId);
    if (peer === undefined) return Promise.reject(notMember(peerId, 'set'));
    return this.transport.set({ id: peerId, address: peer }, item, replicate, check);
  }

  async get(peerId: string, key: string): Promise<DistItem | undefined> {
    const run = async () => this.transport.get(this.#peer(peerId, 'get'), key);
    return peerCalls.hasSubscribers ? peerCalls.tracePromise(run, { call: 'get', peerId, replicate: false }) : run();
  }

  async remove(peerId: string, key: string, replicate: boolean, version?: number, origin?: string, check = false): Promise<void> {
    const run = async () => this.transport.remove(this.#peer(peerId, 'remove'), key, replicate, version, origin, check);
    return peerCalls.hasSubscribers ? peerCalls.tracePromise(run, { call: 'remove', peerId, replicate }) : run();
  }

  isQuorumFailure(err: unknown): boolean {
    return err instanceof PeerStatusError && err.remoteCode === QuorumFailedError.WIRE_CODE;
  }

  isItemTooLarge(err: unknown): boolean {
    return err instanceof PeerStatusError && err.status === 413 && err.remoteCode === ItemRefusedError.WIRE_CODE;
  }

  isQuorumUnavailable(err: unknown): boolean {
    return err instanceof PeerStatusError && err.remoteCode === QuorumUnavailableError.CODE;
  }

  isForwardExpired(err: unknown): boolean {
    return err instanceof PeerStatusError && err.remoteCode === ForwardExpiredError.CODE;
  }

  staleVersion(err: unknown): number | undefined {
    if (!(err instanceof PeerStatusError) || err.status !== 409 || err.remoteCode !== StaleVersionError.CODE) return undefined;
    const v = (err.body as { version?: unknown } | null)?.version;
    return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
  }

  isUnreachable(err: unknown): boolean {
    return err instanceof PeerUnreachableError;
  }

  #peer(id: string, op: 'set' | 'get' | 'remove'): PeerAddress {
    const address = this.addressOf(id);
    if (address === undefined) throw notMember(id, op);
    return { id, address };
  }
}

function notMember(id: string, op: 'set' | 'get' | 'remove'): PeerUnreachableError {
  return new PeerUnreachableError({ id, address: '' }, op, false, `node ${id} is not a member`);
}
