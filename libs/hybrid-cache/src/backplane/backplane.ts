/**
 * Backplane message types (§9): 1 Set, 2 Delete, 3 Expire, 4 Clear as upstream; TS additions
 * 5 DeleteByTag and 6 ExpireByTag carry the tag in `key` (§7 "TS MAY add a message type").
 */
export const BackplaneMessageType = { Set: 1, Delete: 2, Expire: 3, Clear: 4, DeleteByTag: 5, ExpireByTag: 6 } as const;
/** One of {@link BackplaneMessageType}. */
export type BackplaneMessageType = (typeof BackplaneMessageType)[keyof typeof BackplaneMessageType];

/**
 * A backplane message (§9). `key` is unprefixed (receivers add their own prefix). TS additions:
 * `timestamp` (sender's epoch ms, the tag invalidation instant) and `seq` (per-sender sequence,
 * receivers drop their L1 on a gap: a message was lost).
 */
export interface BackplaneMessage {
  type: BackplaneMessageType;
  cacheName: string;
  key: string;
  sourceId: string;
  timestamp: number;
  seq: number;
}

/** What a backplane delivers to: messages, and a notice that messages may have been missed. */
export interface BackplaneSubscriber {
  /** A received message (never called on the publisher's call stack). */
  onMessage(message: BackplaneMessage): void;
  /** The connection was re-established or messages were dropped: anything may have been missed. */
  onReconnect?(reason: string): void;
}

/**
 * Backplane adapter contract (§9): `publish` sets `sourceId` if empty; `subscribe` resolves once
 * the subscription is active and returns its cancel function; all methods are concurrency-safe.
 */
export interface Backplane {
  /** Sends a message to every subscriber of every instance (including, possibly, its own). */
  publish(message: BackplaneMessage, signal?: AbortSignal): Promise<void>;
  /** Starts delivering messages; resolves with the cancel function once active. */
  subscribe(subscriber: BackplaneSubscriber): Promise<() => void>;
  /** Stops everything this adapter opened (idempotent). */
  close(): Promise<void>;
}

/** Upstream's wire form (§9): JSON with PascalCase keys, plus `Timestamp` and `Seq`. */
export function encodeBackplaneMessage(m: BackplaneMessage): string {
  return JSON.stringify({ Type: m.type, CacheName: m.cacheName, Key: m.key, SourceID: m.sourceId, Timestamp: m.timestamp, Seq: m.seq });
}

/** Parses the wire form; `undefined` for anything malformed (ignored by receivers). */
export function decodeBackplaneMessage(raw: string | Buffer): BackplaneMessage | undefined {
  try {
    const o = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8')) as Record<string, unknown>;
    if (typeof o.Type !== 'number' || o.Type < 1 || o.Type > 6 || typeof o.CacheName !== 'string' || typeof o.Key !== 'string' || typeof o.SourceID !== 'string') {
      return undefined;
    }
    return {
      type: o.Type as BackplaneMessageType,
      cacheName: o.CacheName,
      key: o.Key,
      sourceId: o.SourceID,
      timestamp: typeof o.Timestamp === 'number' ? o.Timestamp : 0,
      seq: typeof o.Seq === 'number' ? o.Seq : 0,
    };
  } catch {
    return undefined;
  }
}
