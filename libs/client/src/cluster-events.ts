import type { ResolvedClientOptions } from './client-options';
import type { Credentials } from './credentials';
import type { NodePools } from './node-pools';
import { NodeEventStream, type KeyChange, type LossReason } from './node-event-stream';
import type { Router } from './router';
import type { Topology } from './topology';

/** Options of {@link ClusterEvents}. */
export interface ClusterEventsOptions {
  /** A stream silent this long is dead (the server beats every ~5 s). Default 12 000 ms. */
  readonly heartbeatTimeoutMs?: number;
  /** key+version pairs remembered for de-duplication across owners. Default 10 000. */
  readonly dedupeSize?: number;
  /** Resume points per node id (from {@link ClusterEvents.resumePoints} of an earlier run). */
  readonly resumeFrom?: Readonly<Record<string, string>>;
}

/** What the iterator yields: a change, or a notice that changes of `node` may have been missed. */
export type ClusterEvent = ({ readonly kind: 'change' } & KeyChange) | { readonly kind: 'lost'; readonly node: string; readonly reason: LossReason };

type Listener<E> = (e: E) => void;

/**
 * The cluster's key changes: one {@link NodeEventStream} per member with a client-API URL (every
 * write lands on each owner's stream, so a change is seen while any owner's stream is up), merged
 * and de-duplicated by key+version, following topology changes (joins subscribe, dead members are
 * dropped). Listen with {@link on} or iterate (`for await (const e of events)`). {@link healthy} is
 * true while every member's stream is connected: a near-cache may serve only then (decisions N5).
 */
export class ClusterEvents implements AsyncIterable<ClusterEvent> {
  readonly #o: ResolvedClientOptions;
  readonly #pools: NodePools;
  readonly #creds: Credentials;
  readonly #router: Router;
  readonly #heartbeatTimeoutMs: number;
  readonly #dedupeSize: number;
  readonly #resume: Record<string, string>;
  readonly #streams = new Map<string, NodeEventStream>();
  readonly #seen = new Set<string>();
  readonly #listeners = { change: new Set<Listener<KeyChange>>(), lost: new Set<Listener<{ node: string; reason: LossReason }>>(), health: new Set<Listener<boolean>>() };
  readonly #queue: ClusterEvent[] = [];
  readonly #waiters: Array<(r: IteratorResult<ClusterEvent>) => void> = [];
  readonly #onClose: Array<() => void> = [];
  #unsubscribe: (() => void) | undefined;
  #iterating = false;
  #closed = false;
  #started: Promise<void> | undefined;
  #lastHealth = false;

  constructor(o: ResolvedClientOptions, pools: NodePools, creds: Credentials, router: Router, e: ClusterEventsOptions = {}) {
    this.#o = o;
    this.#pools = pools;
    this.#creds = creds;
    this.#router = router;
    this.#heartbeatTimeoutMs = e.heartbeatTimeoutMs ?? 12_000;
    if (!(this.#heartbeatTimeoutMs > 0)) throw new TypeError(`heartbeatTimeoutMs must be > 0, got ${this.#heartbeatTimeoutMs}`);
    this.#dedupeSize = e.dedupeSize ?? 10_000;
    this.#resume = { ...e.resumeFrom };
  }

  /** Subscribes to every member (resolves once the streams are opening). Idempotent. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      await this.#router.ready();
      if (this.#closed) return;
      this.#unsubscribe = this.#router.onTopology((t) => this.#sync(t));
      const t = this.#router.topology;
      if (t !== undefined) this.#sync(t);
      else for (const url of this.#o.endpoints) this.#add(url, url);
    })();
    return this.#started;
  }

  /** True while every member's stream is connected (and at least one exists). */
  get healthy(): boolean {
    if (this.#closed || this.#streams.size === 0) return false;
    for (const s of this.#streams.values()) if (!s.connected) return false;
    return true;
  }

  /** Node ids with a stream. */
  get nodes(): string[] {
    return [...this.#streams.keys()];
  }

  /** Resume points (last event id per node) to pass as `resumeFrom` later. */
  resumePoints(): Record<string, string> {
    const out: Record<string, string> = { ...this.#resume };
    for (const [id, s] of this.#streams) if (s.lastEventId !== undefined) out[id] = s.lastEventId;
    return out;
  }

  /** Adds a listener: `change` (deduplicated), `lost` (drop what you cached), `health` (see {@link healthy}). */
  on(event: 'change', fn: Listener<KeyChange>): () => void;
  on(event: 'lost', fn: Listener<{ node: string; reason: LossReason }>): () => void;
  on(event: 'health', fn: Listener<boolean>): () => void;
  on(event: 'change' | 'lost' | 'health', fn: Listener<never>): () => void {
    const set = this.#listeners[event] as Set<Listener<never>>;
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Called once when closed. */
  onClose(fn: () => void): void {
    this.#onClose.push(fn);
  }

  [Symbol.asyncIterator](): AsyncIterator<ClusterEvent> {
    this.#iterating = true;
    return {
      next: () => {
        const e = this.#queue.shift();
        if (e !== undefined) return Promise.resolve({ value: e, done: false });
        if (this.#closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.#waiters.push(resolve));
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  /** Closes every stream (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    const all = [...this.#streams.values()];
    this.#streams.clear();
    await Promise.all(all.map((s) => s.close()));
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
    for (const fn of this.#onClose) fn();
  }

  #sync(t: Topology): void {
    if (this.#closed) return;
    const want = new Map<string, string>();
    for (const m of t.members) if (m.apiUrl !== null && m.state !== 'dead') want.set(m.id, m.apiUrl.replace(/\/+$/, ''));
    for (const [id, s] of this.#streams) {
      if (want.get(id) === s.url) continue;
      this.#streams.delete(id);
      void s.close();
    }
    for (const [id, url] of want) if (!this.#streams.has(id)) this.#add(id, url);
    this.#emitHealth();
  }

  #add(id: string, url: string): void {
    const s = new NodeEventStream(
      url,
      id,
      this.#o,
      this.#pools,
      this.#creds,
      {
        change: (c) => this.#change(c),
        lost: (node, reason) => this.#lost(node, reason),
        health: () => this.#emitHealth(),
      },
      this.#heartbeatTimeoutMs,
      this.#resume[id],
    );
    this.#streams.set(id, s);
    s.start();
  }

  #change(c: KeyChange): void {
    if (c.key !== undefined && c.version !== undefined) {
      const id = `${c.type === 'set' ? 's' : 'd'}${c.version}\0${c.key}`;
      if (this.#seen.has(id)) return;
      this.#seen.add(id);
      if (this.#seen.size > this.#dedupeSize) this.#seen.delete(this.#seen.values().next().value as string);
    }
    for (const fn of this.#listeners.change) fn(c);
    this.#push({ kind: 'change', ...c });
  }

  #lost(node: string, reason: LossReason): void {
    for (const fn of this.#listeners.lost) fn({ node, reason });
    this.#push({ kind: 'lost', node, reason });
  }

  #emitHealth(): void {
    const h = this.healthy;
    if (h === this.#lastHealth) return;
    this.#lastHealth = h;
    for (const fn of this.#listeners.health) fn(h);
  }

  #push(e: ClusterEvent): void {
    const w = this.#waiters.shift();
    if (w !== undefined) w({ value: e, done: false });
    else if (this.#iterating && this.#queue.length < 10_000) this.#queue.push(e);
  }
}
