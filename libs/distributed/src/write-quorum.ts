/**
 * The cluster membership as the write path needs it (docs/decisions.md C1). The server adapts
 * the membership table; in-process tests may omit it (no majority check then).
 */
export interface MembershipView {
  /**
   * Members this node knows of, itself included, whatever their state: every member the table
   * ever held or the seeds named, so a member marked dead or pruned during a partition still
   * counts. The majority check divides by this.
   */
  knownCount(): number;
  /** Members this node currently believes reachable (state alive), itself included. */
  reachableCount(): number;
  /** Whether the failure detector currently believes `id` reachable (alive). */
  isReachable(id: string): boolean;
}

/**
 * Replica calls of one coordinated write: sends to every replica at once and resolves with the
 * number of acks as soon as `wanted` acks arrived (or every call settled), so an unreachable or
 * slow replica never holds up an answer the consistency level already allows. Every failure, also
 * one after the answer went out, is passed to `onFailure` (the caller queues a hint).
 */
export function fanOut(replicas: readonly string[], send: (id: string) => Promise<void>, onFailure: (id: string, err: unknown) => void, wanted: number): Promise<number> {
  if (replicas.length === 0) return Promise.resolve(0);
  return new Promise<number>((resolve) => {
    let ok = 0;
    let settled = 0;
    let answered = false;
    const maybeAnswer = () => {
      if (!answered && (ok >= wanted || settled === replicas.length)) {
        answered = true;
        resolve(ok);
      }
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
          settled++;
          ok++;
          maybeAnswer();
        },
        (e: unknown) => {
          settled++;
          onFailure(id, e);
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
export class PeerReachability {
  readonly #down = new Set<string>();

  markDown(id: string): void {
    this.#down.add(id);
  }

  markUp(id: string): void {
    this.#down.delete(id);
  }

  isDown(id: string): boolean {
    return this.#down.has(id);
  }
}
