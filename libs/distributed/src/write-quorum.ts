import { QuorumUnavailableError } from './errors';
import type { ResolvedDistributedCacheOptions } from './distributed-cache-options';
import type { PeerClient } from './peer-client';
import { requiredAcks } from './version-order';

/**
 * The cluster membership as the write path needs it (docs/decisions.md F1). The server adapts
 * the membership table; in-process tests may omit it (no majority check then).
 */
export interface MembershipView {
  /**
   * Members this node knows of, itself included, whatever their state: every member the table
   * ever held or the seeds named, so a member marked dead or pruned during a partition still
   * counts. The majority check divides by this.
   */
  knownCount(): number;
  /**
   * Members this node holds alive, itself included. Suspects do not count: a node that suspects a
   * majority of the members refuses QUORUM/ALL writes instead of acknowledging with a strict quorum
   * of one key's owners until it marks them dead (docs/decisions.md F1).
   */
  reachableCount(): number;
  /** IDs of the members this node currently suspects (for {@link WriteQuorum.check}'s evidence rule). */
  suspects(): readonly string[];
  /** Whether the failure detector currently believes `id` reachable (alive). */
  isReachable(id: string): boolean;
  /**
   * Asks a member for a sign of life now (a health call within the failure detector's probe
   * timeout); resolves true when it answered. Optional: without it a write that finds no majority
   * is refused at once. See {@link WriteQuorum.confirm}.
   */
  probe?(id: string): Promise<boolean>;
}

/** How often a waiting write checks whether a silent peer became known unreachable, ms. */
export const GIVE_UP_POLL_MS = 100;

/**
 * Replica calls of one coordinated write: sends to every replica at once and resolves with the
 * number of acks once `wanted` acks arrived and the others either answered too or had
 * `stragglerGraceMs` more (or once every call settled), so an unreachable or slow replica never
 * holds up an answer the consistency level already allows by more than the grace. Every failure,
 * also one after the answer went out, is passed to `onFailure` (the caller queues a hint).
 */
export function fanOut(
  replicas: readonly string[],
  send: (id: string) => Promise<void>,
  onFailure: (id: string, err: unknown) => void,
  wanted: number,
  stragglerGraceMs = 0,
  giveUp?: (id: string) => boolean,
): Promise<number> {
  if (replicas.length === 0) return Promise.resolve(0);
  return new Promise<number>((resolve) => {
    let ok = 0;
    let settled = 0;
    let answered = false;
    let grace: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    // Replicas not answered yet; one found known unreachable (`giveUp`) counts as settled here
    // while its call keeps running (a later failure is still passed to `onFailure`).
    const open = new Set(replicas);
    const answer = () => {
      if (answered) return;
      answered = true;
      if (grace !== undefined) clearTimeout(grace);
      if (poll !== undefined) clearInterval(poll);
      resolve(ok);
    };
    if (giveUp !== undefined) {
      poll = setInterval(() => {
        for (const id of open) {
          if (!giveUp(id)) continue;
          open.delete(id);
          settled++;
        }
        maybeAnswer();
      }, GIVE_UP_POLL_MS).unref();
    }
    const maybeAnswer = () => {
      if (answered) return;
      if (settled === replicas.length || (ok >= wanted && stragglerGraceMs <= 0)) answer();
      else if (ok >= wanted && grace === undefined) grace = setTimeout(answer, stragglerGraceMs).unref();
    };
    for (const id of replicas) {
      let call: Promise<void>;
      try {
        call = send(id);
      } catch (e) {
        call = Promise.reject(e);
      }
      call.then(
        () => {
          if (!open.delete(id)) return; // given up on meanwhile: the answer did not count it
          settled++;
          ok++;
          maybeAnswer();
        },
        (e: unknown) => {
          onFailure(id, e);
          if (!open.delete(id)) return;
          settled++;
          maybeAnswer();
        },
      );
    }
    // `wanted` ≤ 0 (ONE on the coordinator alone) still waits for nothing but the sends above.
    maybeAnswer();
  });
}

/**
 * Peers whose last call from this node failed as unreachable (a timeout or a network error),
 * cleared by the next successful call. Forwards and ONE reads try such peers last, so a peer
 * that the failure detector still believes alive (a one-way cut: indirect probes refute the
 * suspicion) does not stall every request addressed to it until the peer timeout.
 */
class PeerReachability {
  readonly #down = new Set<string>();
  /** When the last call to each peer answered (clock ms), the direct evidence of F1's suspect rule. */
  readonly #answeredAt = new Map<string, number>();

  markDown(id: string): void {
    this.#down.add(id);
  }

  markUp(id: string, nowMs: number): void {
    this.#down.delete(id);
    this.#answeredAt.set(id, nowMs);
  }

  isDown(id: string): boolean {
    return this.#down.has(id);
  }

  answeredWithin(id: string, nowMs: number, windowMs: number): boolean {
    const at = this.#answeredAt.get(id);
    return at !== undefined && nowMs - at <= windowMs;
  }
}

/**
 * The write path's quorum rules (docs/decisions.md F1, F5): how many acks a write needs, whether
 * this node may coordinate a QUORUM/ALL write at all, and in which order to try a key's owners.
 */
export class WriteQuorum {
  readonly #reach = new PeerReachability();
  /** One confirmation probe in flight per suspect, shared by every write that waits for it. */
  readonly #probing = new Map<string, Promise<void>>();

  constructor(
    private readonly o: Pick<ResolvedDistributedCacheOptions, 'writeConsistency' | 'replication' | 'sloppyQuorum' | 'reachEvidenceMs'>,
    private readonly self: string,
    private readonly peers: PeerClient,
    private readonly membership: MembershipView | undefined,
    private readonly now: () => number,
  ) {}

  /**
   * Acks a write of a key with these owners needs: from the configured replication factor capped
   * by the known members, never from a ring that shrank because peers were marked dead; upstream's
   * current-owner count when sloppy or when no replication factor was configured.
   */
  requiredAcks(owners: readonly string[]): number {
    const level = this.o.writeConsistency;
    if (this.o.sloppyQuorum || this.o.replication === 0) return requiredAcks(owners.length, level);
    const known = this.membership?.knownCount() ?? owners.length;
    return requiredAcks(Math.max(owners.length, Math.min(this.o.replication, known)), level);
  }

  /**
   * The error to refuse a write with, or undefined when it may proceed: QUORUM/ALL (not sloppy)
   * needs a majority of the known members reachable and at least as many owners as acks.
   */
  check(owners: readonly string[]): QuorumUnavailableError | undefined {
    if (this.o.writeConsistency === 'ONE' || this.o.sloppyQuorum) return undefined;
    const m = this.membership;
    const needed = this.requiredAcks(owners);
    const short = owners.length < needed;
    if (short || (m !== undefined && 2 * this.#reachable(m) <= m.knownCount())) return this.unavailable(owners);
    // Too many of the key's owners are known unreachable (suspect, no answer within the evidence
    // window): the write could only wait for the peer timeout and fail (issue 21, F11).
    if (m !== undefined && this.o.reachEvidenceMs > 0) {
      const gone = owners.filter((id) => this.knownUnreachable(id)).length;
      if (owners.length - gone < needed) return this.unavailable(owners);
    }
    return undefined;
  }

  /**
   * Whether `id` is known unreachable: suspected (or unknown) in membership and no call from this
   * node answered within `reachEvidenceMs` — F1's rule. A write stops waiting for such a peer
   * (its call keeps running, and a failure is hinted). Never true without a membership view or
   * with `reachEvidenceMs` 0.
   */
  knownUnreachable(id: string): boolean {
    const m = this.membership;
    if (m === undefined || this.o.reachEvidenceMs <= 0 || id === this.self) return false;
    return !m.isReachable(id) && !this.#reach.answeredWithin(id, this.now(), this.o.reachEvidenceMs);
  }

  /**
   * Members that count as reachable for the majority rule: the alive ones, plus — only when those
   * are no majority — suspects whose last call from this node answered within `reachEvidenceMs`.
   * A node too busy to answer 150 ms probes (32 concurrent 4 MiB writes) still gets answers to its
   * data calls, so it does not refuse writes on that false suspicion; across a real partition no
   * call answers, so the evidence is at most one window old when the suspicion starts (F1).
   */
  #reachable(m: MembershipView): number {
    const alive = m.reachableCount();
    const window = this.o.reachEvidenceMs;
    if (window <= 0 || 2 * alive > m.knownCount()) return alive;
    const now = this.now();
    let evidenced = 0;
    for (const id of m.suspects()) if (this.#reach.answeredWithin(id, now, window)) evidenced++;
    return alive + evidenced;
  }

  /**
   * The second look {@link check} gets before a write is refused for want of a majority: every
   * suspect without recent evidence is probed once now (concurrent writes share the probe), the
   * ones that answer count as evidenced (F1), and the check runs again. A node that falsely
   * suspects its peers — its own event loop stalled on a loaded machine — then writes instead of
   * answering 503 until the failure detector's next round; across a real partition the probes
   * time out and the refusal comes one probe timeout later. Only the refusal path pays this.
   */
  async confirm(owners: readonly string[], refusal: QuorumUnavailableError): Promise<QuorumUnavailableError | undefined> {
    const m = this.membership;
    if (m?.probe === undefined || this.o.reachEvidenceMs <= 0 || owners.length < this.requiredAcks(owners)) return refusal;
    const now = this.now();
    const unproven = m.suspects().filter((id) => !this.#reach.answeredWithin(id, now, this.o.reachEvidenceMs));
    if (unproven.length === 0) return refusal;
    await Promise.all(unproven.map((id) => this.#probeOnce(m, id)));
    return this.check(owners);
  }

  #probeOnce(m: MembershipView, id: string): Promise<void> {
    let p = this.#probing.get(id);
    if (p === undefined) {
      p = m.probe!(id)
        .catch(() => false)
        .then((ok) => {
          if (ok) this.#reach.markUp(id, this.now());
        })
        .finally(() => this.#probing.delete(id));
      this.#probing.set(id, p);
    }
    return p;
  }

  /** A {@link QuorumUnavailableError} with the current figures (and the peer's refusal as `cause`). */
  unavailable(owners: readonly string[], cause?: unknown): QuorumUnavailableError {
    const m = this.membership;
    const err = new QuorumUnavailableError(m === undefined ? owners.length : this.#reachable(m), m?.knownCount() ?? owners.length, this.requiredAcks(owners));
    if (cause !== undefined) (err as { cause?: unknown }).cause = cause;
    return err;
  }

  /** Owners in ring order, those believed reachable first (a one-way cut or a fresh suspicion last). */
  reachableFirst(owners: readonly string[]): readonly string[] {
    const m = this.membership;
    const ok = (id: string) => id === this.self || (!this.#reach.isDown(id) && (m === undefined || m.isReachable(id)));
    // The usual case, every owner reachable, allocates nothing (asked on every forwarded write).
    if (owners.every(ok)) return owners;
    return [...owners.filter(ok), ...owners.filter((id) => !ok(id))];
  }

  /**
   * Runs one peer call, remembering whether the peer was reachable. Promise callbacks rather than
   * an async function: every forward and replica call of every write passes here.
   */
  tracked<T>(peer: string, call: () => Promise<T>): Promise<T> {
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (e) {
      pending = Promise.reject(e);
    }
    return pending.then(
      (out) => {
        this.#reach.markUp(peer, this.now());
        return out;
      },
      (e: unknown) => {
        const p = this.peers;
        // A STALE_VERSION refusal (F16) is an answer: the peer is up.
        if (p.staleVersion?.(e) === undefined && (p.isUnreachable ? p.isUnreachable(e) : !p.isQuorumFailure(e))) this.#reach.markDown(peer);
        else this.#reach.markUp(peer, this.now());
        throw e;
      },
    );
  }
}
