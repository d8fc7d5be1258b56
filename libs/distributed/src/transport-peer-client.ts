import { PeerStatusError, PeerUnreachableError, type PeerAddress, type PeerTransport } from '@hypercache/transport';
import type { DistItem } from './local-store';
import type { PeerClient } from './peer-client';
import { QuorumFailedError, QuorumUnavailableError } from './errors';

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

  async set(peerId: string, item: DistItem, replicate: boolean): Promise<void> {
    return this.transport.set(this.#peer(peerId, 'set'), item, replicate);
  }

  async get(peerId: string, key: string): Promise<DistItem | undefined> {
    return this.transport.get(this.#peer(peerId, 'get'), key);
  }

  async remove(peerId: string, key: string, replicate: boolean, version?: number, origin?: string): Promise<void> {
    return this.transport.remove(this.#peer(peerId, 'remove'), key, replicate, version, origin);
  }

  isQuorumFailure(err: unknown): boolean {
    return err instanceof PeerStatusError && err.remoteCode === QuorumFailedError.WIRE_CODE;
  }

  isQuorumUnavailable(err: unknown): boolean {
    return err instanceof PeerStatusError && err.remoteCode === QuorumUnavailableError.CODE;
  }

  isUnreachable(err: unknown): boolean {
    return err instanceof PeerUnreachableError;
  }

  #peer(id: string, op: 'set' | 'get' | 'remove'): PeerAddress {
    const address = this.addressOf(id);
    if (address === undefined) throw new PeerUnreachableError({ id, address: '' }, op, false, `node ${id} is not a member`);
    return { id, address };
  }
}
