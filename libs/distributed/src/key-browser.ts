import { compileKeyPattern } from './key-pattern';

/** Peer key listing by node ID: every key the peer holds matching `q` (`/internal/keys` walk). */
export type PeerKeyLister = (peerId: string, q: string | undefined) => Promise<readonly string[]>;

export interface KeyBrowserDeps {
  nodeId: string;
  /** Keys held locally (expired-but-unswept included, as upstream). */
  localKeys: () => Iterable<string>;
  /** IDs of the members in state `alive`, self included. */
  aliveMembers: () => string[];
  listPeerKeys: PeerKeyLister;
}

/** One page of {@link KeyBrowser.page} (client-api.md §5.6). */
export interface KeyPage {
  keys: string[];
  next_cursor: string;
  total_matched: number;
  truncated: boolean;
  node: string;
  partial_nodes?: string[];
}

/**
 * The cluster-wide key browser behind `GET /v1/cache/keys` (client-api.md §5.6): fans out in
 * parallel to every alive member (itself by a local scan), merges into a set (replicas
 * deduplicated) capped at `max`, sorts by byte order and returns `[cursor, cursor + limit)`.
 * A failing peer is listed in `partial_nodes`; suspect/dead members are skipped silently.
 */
export class KeyBrowser {
  constructor(private readonly d: KeyBrowserDeps) {}

  /** @throws InvalidGlobError for a malformed `q` (before any fan-out). */
  async page(q: string | undefined, cursor: number, limit: number, max: number): Promise<KeyPage> {
    const matches = compileKeyPattern(q);
    const peers = this.d.aliveMembers().filter((id) => id !== this.d.nodeId);
    const local = [...this.d.localKeys()].filter(matches);
    const remote = await Promise.allSettled(peers.map((id) => this.d.listPeerKeys(id, q === '' ? undefined : q)));
    const set = new Set<string>();
    let truncated = false;
    const add = (keys: Iterable<string>) => {
      for (const k of keys) {
        if (set.has(k)) continue;
        if (set.size >= max) {
          truncated = true;
          return;
        }
        set.add(k);
      }
    };
    add(local);
    const partial: string[] = [];
    remote.forEach((r, i) => {
      if (r.status === 'fulfilled') add(r.value.filter(matches));
      else partial.push(peers[i]);
    });
    const sorted = [...set].sort(byteOrder);
    const keys = sorted.slice(cursor, cursor + limit);
    const end = cursor + limit;
    const page: KeyPage = {
      keys,
      next_cursor: end < sorted.length ? String(end) : '',
      total_matched: sorted.length,
      truncated,
      node: this.d.nodeId,
    };
    if (partial.length > 0) page.partial_nodes = partial.sort();
    return page;
  }
}

/** Go string order: byte-wise over UTF-8 (not locale-aware, not UTF-16 code units). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
