import { PeerStatusError } from '../errors';
import type { PeerHandler } from './peer-handler';
import { PeerOp, type PeerAddress } from '../peer-address';
import type { WireItem } from '../wire';

/** Placeholder peer for errors a handler throws; transports replace it with the called peer. */
const SELF: PeerAddress = { id: 'self', address: 'self:0' };

/** A remove as the handler received it. */
export interface ReceivedRemove {
  key: string;
  replicate: boolean;
  version?: number;
  origin?: string;
}

/**
 * A test {@link PeerHandler} over a Map: stores what it is sent (no version compare, no
 * ownership), records every set/remove, answers 503 `draining` from health when `isDraining`,
 * filters keys by prefix. Backs `startPeerTestServer`.
 */
export class MapPeerHandler implements PeerHandler {
  readonly items = new Map<string, WireItem>();
  readonly sets: Array<{ item: WireItem; replicate: boolean }> = [];
  readonly removes: ReceivedRemove[] = [];
  isDraining = false;

  handleSet(item: WireItem, replicate: boolean): void {
    this.sets.push({ item, replicate });
    this.items.set(item.key, item);
  }

  handleGet(key: string): WireItem | undefined {
    return this.items.get(key);
  }

  handleRemove(key: string, replicate: boolean, version?: number, origin?: string): void {
    this.removes.push({ key, replicate, ...(version !== undefined && { version }), ...(origin !== undefined && { origin }) });
    this.items.delete(key);
  }

  handleHealth(): void {
    if (this.isDraining) throw new PeerStatusError(SELF, PeerOp.Health, 503, 'draining');
  }

  handleKeys(q: string | undefined): string[] {
    return [...this.items.keys()].filter((k) => q === undefined || k.startsWith(q));
  }
}
