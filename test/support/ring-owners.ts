import type { Xxhash64 } from '@hypercache/hashing';

/** The ring part of a `GET /v1/topology` body. */
export interface TopologyRing {
  readonly replication: number;
  readonly ring: ReadonlyArray<{ hash: string; node: string }>;
}

/**
 * Owners of `key` computed from a published topology alone (dist-protocol.md §3 lookup): the first
 * `replication` distinct nodes clockwise from the first point with hash ≥ XXH64(key).
 */
export function ownersFromRing(t: TopologyRing, hasher: Xxhash64, key: string): string[] {
  const h = hasher.hashString(key);
  const points = t.ring.map((p) => ({ hash: BigInt(p.hash), node: p.node }));
  let i = points.findIndex((p) => p.hash >= h);
  if (i < 0) i = 0;
  const owners: string[] = [];
  for (let k = 0; k < points.length && owners.length < t.replication; k++) {
    const node = points[(i + k) % points.length].node;
    if (!owners.includes(node)) owners.push(node);
  }
  return owners;
}
