import { HttpPeerTransport } from '../http-peer-transport';
import type { HttpPeerTransportOptions } from '../http-peer-transport-options';
import type { PeerAddress } from '../peer-address';
import type { WireItem } from '../wire';
import { startPeerTestServer, type PeerTestServer, type PeerTestServerOptions } from './peer-test-server';

// Servers and transports opened by the helpers below, closed after the importing spec file (a lib
// never imports the repository's test/ folder, so this kit keeps its own teardown list).
const opened: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  while (opened.length > 0) await opened.pop()!();
});

/** Runs `fn` after the importing spec file (LIFO), like test/support's `registerCleanup`. */
export function closeAfterAll(fn: () => Promise<void> | void): void {
  opened.push(fn);
}

/** Starts a {@link startPeerTestServer} closed after the test file. */
export async function peerServer(o: PeerTestServerOptions = {}): Promise<PeerTestServer & { peer: PeerAddress }> {
  const server = await startPeerTestServer(o);
  closeAfterAll(() => server.close());
  return Object.assign(server, { peer: { id: 'node-b', address: server.address } });
}

/**
 * An {@link HttpPeerTransport} closed after the test file. One HTTP call per operation (the
 * upstream wire, `batchMaxOps: -1`) unless the test passes `batchMaxOps` (0 = the batching default).
 */
export function httpTransport(o: HttpPeerTransportOptions = {}): HttpPeerTransport {
  const t = new HttpPeerTransport({ batchMaxOps: -1, ...o });
  closeAfterAll(() => t.close());
  return t;
}

/** A wire item with sensible defaults. */
export function wireItem(over: Partial<WireItem> = {}): WireItem {
  return {
    key: 'k',
    value: Buffer.from('world'),
    version: 7,
    origin: 'node-a',
    ttlMs: 30_000,
    expiresAtMs: 1_767_225_630_000,
    lastUpdatedMs: 1_767_225_600_000,
    ...over,
  };
}

/** Resolves to the rejection of `p` (fails when `p` resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
