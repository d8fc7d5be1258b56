import { InvalidSeedError } from './errors';
import type { Xxhash64 } from '@hypercache/hashing';

/** One peer from `HYPERCACHE_SEEDS` (dist-protocol.md §2). */
export interface ParsedSeed {
  /** Node ID: the part before the first `@`, or derived from the address (see `idDerived`). */
  readonly id: string;
  /** `host:port` of the peer's dist listener. */
  readonly address: string;
  /**
   * True for a bare `host:port` entry whose ID was derived with {@link deriveNodeId}. The real peer
   * calls itself something else, so rings diverge: the caller SHOULD log a warning (§2: production
   * MUST use `id@addr`).
   */
  readonly idDerived: boolean;
}

/** Identity of the local node, used to skip itself in the seed list (§2). */
export interface SeedSelf {
  readonly id: string;
  readonly address: string;
}

/**
 * Upstream's ID for a seed given without one (dist-protocol.md §2): the hex encoding of the 8
 * little-endian bytes of XXH64(address), e.g. `hypercache-2:7946` → `c5b3434d57089a44`.
 */
export function deriveNodeId(address: string, hasher: Xxhash64): string {
  let h = hasher.hashString(address);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out += Number(h & 0xffn)
      .toString(16)
      .padStart(2, '0');
    h >>= 8n;
  }
  return out;
}

/**
 * Parses a seed list (dist-protocol.md §2): `raw` is the comma-separated `HYPERCACHE_SEEDS` value
 * or its entries. Blanks are trimmed and empty entries dropped. `id@host:port` takes everything
 * before the first `@` as the ID; a bare `host:port` gets {@link deriveNodeId} and
 * `idDerived: true`. Entries whose address equals `self.address` or whose ID equals `self.id` are
 * skipped, so every node can be given the same list. Order is kept; duplicates are kept (the
 * membership table keys by ID, last one wins).
 * @throws InvalidSeedError naming the entry when it has an empty ID, or an address that is not
 *   `host:port` (non-empty host without whitespace, `@` or `/`; IPv6 in brackets; port 1..65535).
 */
export function parseSeeds(raw: string | readonly string[], self: SeedSelf, hasher: Xxhash64): ParsedSeed[] {
  const entries = typeof raw === 'string' ? raw.split(',') : raw;
  const out: ParsedSeed[] = [];
  for (const untrimmed of entries) {
    const entry = untrimmed.trim();
    if (entry === '') continue;
    const seed = parseSeed(entry, hasher);
    if (seed.address === self.address || seed.id === self.id) continue;
    out.push(seed);
  }
  return out;
}

function parseSeed(entry: string, hasher: Xxhash64): ParsedSeed {
  const at = entry.indexOf('@');
  if (at < 0) {
    checkAddress(entry, entry);
    return { id: deriveNodeId(entry, hasher), address: entry, idDerived: true };
  }
  const id = entry.slice(0, at).trim();
  const address = entry.slice(at + 1).trim();
  if (id === '') throw new InvalidSeedError(entry, 'empty node ID before "@"');
  checkAddress(entry, address);
  return { id, address, idDerived: false };
}

const PORT = /^[0-9]{1,5}$/;
const BAD_HOST_CHAR = /[\s@/]/;

function checkAddress(entry: string, address: string): void {
  const colon = address.lastIndexOf(':');
  if (colon < 0) throw new InvalidSeedError(entry, 'address must be host:port');
  const host = address.slice(0, colon);
  const port = address.slice(colon + 1);
  if (!PORT.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    throw new InvalidSeedError(entry, `port must be 1..65535, got ${JSON.stringify(port)}`);
  }
  if (host === '') throw new InvalidSeedError(entry, 'empty host');
  if (BAD_HOST_CHAR.test(host)) throw new InvalidSeedError(entry, `bad host ${JSON.stringify(host)}`);
  const bracketed = host.startsWith('[') && host.endsWith(']') && host.length > 2;
  if (host.includes(':') && !bracketed) {
    throw new InvalidSeedError(entry, 'IPv6 hosts must be in brackets, e.g. [::1]:7946');
  }
  if (!bracketed && (host.includes('[') || host.includes(']'))) {
    throw new InvalidSeedError(entry, `bad host ${JSON.stringify(host)}`);
  }
}
