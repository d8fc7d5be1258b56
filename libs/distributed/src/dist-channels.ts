import { channel, tracingChannel } from 'node:diagnostics_channel';
import type { Consistency } from './version-order';

/**
 * Names of the `node:diagnostics_channel` channels the dist data path publishes on
 * (dist-protocol.md §16). Telemetry subscribes by these names; nothing here imports telemetry.
 * Publishing is guarded by `hasSubscribers`, so with tracing off the data path pays one
 * property read per operation.
 */
export const DistChannelName = {
  /** tracingChannel: one client-facing or coordinator operation (`get`, `set`, `remove`). */
  Op: 'hypercache:dist.op',
  /** tracingChannel: one call to a peer (`set`, `get`, `remove`) made by the node. */
  PeerCall: 'hypercache:dist.peer-call',
  /** channel: a GET answered from the local copy on the synchronous fast path. */
  LocalHit: 'hypercache:dist.local-hit',
} as const;

/**
 * Context of a {@link DistChannelName.Op} event. `key` is there for correlation only:
 * subscribers must never record it (PII); `result`/`error` are set by the tracing channel.
 */
export interface DistOpMessage {
  readonly nodeId: string;
  readonly op: 'get' | 'set' | 'remove';
  readonly key: string;
  readonly consistency: Consistency;
  /** Owners of the key in this node's ring view. */
  readonly owners: number;
  /** True on the primary running a write forwarded to it (the coordinator side). */
  readonly coordinator: boolean;
  result?: unknown;
  error?: unknown;
}

/** Context of a {@link DistChannelName.PeerCall} event. */
export interface PeerCallMessage {
  readonly call: 'set' | 'get' | 'remove';
  readonly peerId: string;
  /** The peer is asked to coordinate (a forward) rather than apply (a replica write). */
  readonly replicate: boolean;
  result?: unknown;
  error?: unknown;
}

/** The channels, created once per process (diagnostics channels are process-global by name). */
export const distOps = tracingChannel<unknown, DistOpMessage & object>(DistChannelName.Op);
export const peerCalls = tracingChannel<unknown, PeerCallMessage & object>(DistChannelName.PeerCall);
export const localHits = channel(DistChannelName.LocalHit);
