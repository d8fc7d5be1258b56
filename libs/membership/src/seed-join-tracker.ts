import { BackgroundLoop, type Timers } from '@hypercache/loops';
import { MemberState } from './member';
import { MembershipChangeKind } from './membership-change';
import type { MembershipTable } from './membership-table';
import type { MemberIdentity } from './membership-table-options';

/** How a node came to count as joined (readiness detail, `GET /readyz`). */
export const JoinEvidence = {
  /** No seeds (other than itself): a cluster of one is joined at boot. */
  NoSeeds: 'no-seeds',
  /** A seed's dist `GET /health` answered `200 ok`. */
  SeedHealth: 'seed-health',
  /** The membership table learnt of a live peer (gossip added a member or marked one alive). */
  Membership: 'membership',
} as const;

/** Union of the values of {@link JoinEvidence}. */
export type JoinEvidence = (typeof JoinEvidence)[keyof typeof JoinEvidence];

/** Options of {@link SeedJoinTracker}. */
export interface SeedJoinTrackerOptions {
  /** The seeds of this node, self already skipped (e.g. from `parseSeeds`). Empty → joined at once. */
  readonly seeds: readonly MemberIdentity[];
  /** Probes one seed's dist `/health`; resolves on `200`, rejects otherwise. */
  readonly probe: (seed: MemberIdentity, timeoutMs: number) => Promise<void>;
  /** Table to watch for evidence of a live peer (optional). */
  readonly membership?: MembershipTable;
  /** First retry delay after a round where no seed answered, ms. Default 200. */
  readonly retryMinMs?: number;
  /** Retry delay cap (the delay doubles per failed round), ms. Default 2000. */
  readonly retryMaxMs?: number;
  /** Timeout of one seed probe, ms. Default 1000. */
  readonly probeTimeoutMs?: number;
  /** Timers of the retry loop (default: Node's, unref()'d); tests pass manual timers. */
  readonly timers?: Timers;
}

/**
 * Tracks whether this node has joined its cluster, for the readiness probe (`GET /readyz`).
 *
 * "Joined" (a one-way latch, never reset by later partitions — liveness of peers is the
 * heartbeat's business, not readiness's): the node has no seeds, or one of its seeds' dist
 * `GET /health` answered `200` (probed in parallel each round, with a doubling retry delay), or
 * the membership table reported a live peer (a member added by gossip, or a transition to
 * alive). Until then a Kubernetes Service must not route clients here: the node would answer
 * from a ring whose peers it has never reached.
 */
export class SeedJoinTracker {
  readonly #seeds: readonly MemberIdentity[];
  readonly #probe: SeedJoinTrackerOptions['probe'];
  readonly #membership: MembershipTable | undefined;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #probeTimeoutMs: number;
  #evidence: JoinEvidence | undefined;
  #joinedVia: string | undefined;
  readonly #timers: Timers | undefined;
  #loop: BackgroundLoop | undefined;
  #nextDelayMs = 0;
  #unsubscribe: (() => void) | undefined;

  constructor(o: SeedJoinTrackerOptions) {
    this.#seeds = o.seeds;
    this.#probe = o.probe;
    this.#membership = o.membership;
    this.#retryMinMs = positive(o.retryMinMs ?? 200, 'retryMinMs');
    this.#retryMaxMs = positive(o.retryMaxMs ?? 2_000, 'retryMaxMs');
    this.#probeTimeoutMs = positive(o.probeTimeoutMs ?? 1_000, 'probeTimeoutMs');
    this.#timers = o.timers;
    if (this.#seeds.length === 0) this.#latch(JoinEvidence.NoSeeds, undefined);
  }

  /** True once the node has joined (see the class doc). */
  get isJoined(): boolean {
    return this.#evidence !== undefined;
  }

  /** What made the node joined, or undefined while it has not. */
  get evidence(): JoinEvidence | undefined {
    return this.#evidence;
  }

  /** The seed or member ID that proved the join (undefined for `no-seeds`). */
  get joinedVia(): string | undefined {
    return this.#joinedVia;
  }

  /** Seed IDs this node waits for (for the readiness body). */
  get seedIds(): string[] {
    return this.#seeds.map((s) => s.id);
  }

  /** Starts probing the seeds until one answers (idempotent; no-op once joined). */
  start(): void {
    if (this.isJoined || this.#loop) return;
    this.#unsubscribe = this.#membership?.onChange((c) => {
      const becameAlive =
        c.member.state === MemberState.Alive &&
        c.member.id !== this.#membership?.localId &&
        (c.kind === MembershipChangeKind.Added || (c.kind === MembershipChangeKind.Updated && c.previous?.state !== MemberState.Alive));
      if (becameAlive) this.#latch(JoinEvidence.Membership, c.member.id);
    });
    this.#nextDelayMs = this.#retryMinMs;
    this.#loop = new BackgroundLoop({
      name: 'seed join',
      runAtStart: true,
      timers: this.#timers,
      // The delay doubles after every round in which no seed answered, up to retryMaxMs.
      delayMs: () => {
        const delayMs = this.#nextDelayMs;
        this.#nextDelayMs = Math.min(delayMs * 2, this.#retryMaxMs);
        return delayMs;
      },
      tick: (signal) => this.#round(signal),
    });
    this.#loop.start();
  }

  /** Stops probing (idempotent). */
  stop(): void {
    this.#loop?.stop();
    this.#loop = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** One probing round, all seeds in parallel; the loop schedules the next one after the doubling delay. */
  async #round(signal: AbortSignal): Promise<void> {
    const winner = await Promise.any(
      this.#seeds.map(async (s) => {
        await this.#probe(s, this.#probeTimeoutMs);
        return s.id;
      }),
    ).catch(() => undefined);
    if (signal.aborted) return;
    // Latching stops the loop (and so the retries).
    if (winner !== undefined) this.#latch(JoinEvidence.SeedHealth, winner);
  }

  #latch(evidence: JoinEvidence, via: string | undefined): void {
    if (this.#evidence !== undefined) return;
    this.#evidence = evidence;
    this.#joinedVia = via;
    this.stop();
  }
}

function positive(v: number, name: string): number {
  if (!Number.isFinite(v) || v <= 0) throw new TypeError(`${name} must be a positive number, got ${v}`);
  return v;
}
