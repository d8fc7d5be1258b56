/**
 * A Jepsen-style checker for the histories the chaos clients record (issue 21). Pure: it sees the
 * operations (invocation, completion, outcome, values) and the replicas' final state after
 * healing and convergence, nothing else.
 *
 * Model: one register per key, values unique across the whole history, initial state absent.
 * An operation whose outcome is `unknown` (timeout, 5xx, connection error) may take effect at any
 * time after its invocation, or never; a `fail` (a 4xx) never takes effect; an `ok` took effect
 * between invocation and completion. "A strictly precedes B" means A completed before B was
 * invoked (real time, one clock: the test process's).
 */

/** Client operation kinds. */
export type OpKind = 'put' | 'get' | 'delete';
/** `ok` = 2xx (or 404 for a GET); `fail` = definite refusal; `unknown` = may or may not have applied. */
export type Outcome = 'ok' | 'fail' | 'unknown';

/** One completed client operation. */
export interface HistoryOp {
  readonly client: number;
  /** Node (1-based index) the client sent it to. */
  readonly node: number;
  readonly kind: OpKind;
  readonly key: string;
  /** PUT: the value written. GET: the value read (`null` = not found). DELETE: unused. */
  readonly value?: string | null;
  /** ms, the test process's clock. */
  readonly invokedAt: number;
  readonly completedAt: number;
  readonly outcome: Outcome;
  /** Why an operation did not succeed (status and wire code, or the client error), for the report. */
  readonly detail?: string;
}

/** A fault window for per-window availability (`minority`: nodes cut off, paused or killed). */
export interface FaultWindow {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly minority: readonly number[];
  /**
   * Keys with fewer than a strict quorum of their owners outside the minority when the fault
   * started: no QUORUM write of them can be acknowledged until the majority side marks the cut-off
   * owners dead and the ring moves them (docs/decisions.md F11). Majority-side writes of these keys
   * are left out of the fast-ack figures and counted apart. Default none.
   */
  readonly noQuorumKeys?: readonly string[];
}

export interface CheckOptions {
  /**
   * Whether reads promise read-your-writes (R + W > N, e.g. QUORUM reads with QUORUM writes): then
   * a read older than a value the same client already had acknowledged is impossible. Under ONE
   * reads a stale read is legal. Default false.
   */
  readYourWrites?: boolean;
  /** A write counts as fast when acknowledged within this many ms. Default 1 000. */
  fastAckMs?: number;
  /** Minority-side acks are counted for writes invoked this long after a window starts. Default 0. */
  minorityGraceMs?: number;
}

/** Per-window figures. */
export interface WindowReport {
  readonly name: string;
  readonly ops: number;
  /** ok / all operations invoked in the window, %. */
  readonly availability: number;
  /** Writes sent to nodes outside the minority, and the share of them acknowledged within `fastAckMs`, %. */
  readonly majorityWrites: number;
  readonly majorityFastAcked: number;
  /** The same share for writes invoked after the grace period (once the fault is detected), %. */
  readonly majorityFastAckedAfterGrace: number;
  /** Majority-side writes of {@link FaultWindow.noQuorumKeys}, left out of the three figures above. */
  readonly noQuorumWrites: number;
  /** Writes a minority node acknowledged while cut off (invoked after the grace period, acknowledged before the window ended). */
  readonly minorityAcks: number;
}

/** One anomaly, with the operations that show it. */
export interface Anomaly {
  readonly kind: 'lost' | 'resurrected' | 'impossible' | 'divergent';
  readonly key: string;
  readonly detail: string;
}

export interface CheckReport {
  readonly ops: number;
  /** Acknowledged PUTs and DELETEs. */
  readonly acked: number;
  readonly lost: number;
  readonly resurrected: number;
  readonly impossible: number;
  readonly divergent: number;
  /** ok / all, %. */
  readonly availability: number;
  readonly windows: readonly WindowReport[];
  readonly anomalies: readonly Anomaly[];
}

/** `final.get(key)`: the value each owner holds after convergence (`null` = none or tombstone). */
export type FinalState = ReadonlyMap<string, ReadonlyArray<string | null>>;

const strictlyPrecedes = (a: HistoryOp, b: HistoryOp) => a.outcome === 'ok' && a.completedAt < b.invokedAt;

/** Checks a history against the final state; see the module comment for the model. */
export function checkHistory(ops: readonly HistoryOp[], final: FinalState, windows: readonly FaultWindow[] = [], o: CheckOptions = {}): CheckReport {
  const anomalies: Anomaly[] = [];
  const byKey = new Map<string, HistoryOp[]>();
  const putByValue = new Map<string, HistoryOp>();
  for (const op of ops) {
    let list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, (list = []));
    list.push(op);
    if (op.kind === 'put' && typeof op.value === 'string') putByValue.set(op.value, op);
  }

  // Divergence: the owners disagree after convergence.
  const finalOf = new Map<string, string | null>();
  for (const [key, replicas] of final) {
    const distinct = new Set(replicas);
    if (distinct.size > 1) anomalies.push({ kind: 'divergent', key, detail: `owners hold ${[...distinct].map(String).join(' / ')}` });
    finalOf.set(key, mostCommon(replicas));
  }

  for (const [key, list] of byKey) {
    const f = finalOf.has(key) ? finalOf.get(key)! : null;
    // The operations that could have produced the final state; absent initial state = "precedes all".
    const producers = list.filter((x) => x.outcome !== 'fail' && (f === null ? x.kind === 'delete' : x.kind === 'put' && x.value === f));
    for (const m of list) {
      if (m.outcome !== 'ok' || m.kind === 'get') continue;
      if (producers.some((x) => !strictlyPrecedes(x, m))) continue;
      const kind = m.kind === 'put' ? 'lost' : 'resurrected';
      anomalies.push({ kind, key, detail: `${m.kind} ${m.value ?? ''} acked at ${m.completedAt} by node ${m.node}, final ${String(f)}` });
    }
    for (const g of list) {
      if (g.kind !== 'get' || g.outcome !== 'ok' || g.value == null) continue;
      const w = putByValue.get(g.value);
      if (w === undefined || w.key !== key || w.outcome === 'fail' || w.invokedAt > g.completedAt) {
        anomalies.push({ kind: 'impossible', key, detail: `read ${g.value} never written before ${g.completedAt}` });
        continue;
      }
      if (!o.readYourWrites) continue;
      const newerOwn = list.find((p) => p.client === g.client && p.kind !== 'get' && strictlyPrecedes(p, g) && strictlyPrecedes(w, p));
      if (newerOwn !== undefined) anomalies.push({ kind: 'impossible', key, detail: `client ${g.client} read ${g.value} after its own ${newerOwn.kind} was acked` });
    }
  }

  const count = (k: Anomaly['kind']) => anomalies.filter((a) => a.kind === k).length;
  const okShare = (xs: readonly HistoryOp[]) => (xs.length === 0 ? 100 : (100 * xs.filter((x) => x.outcome === 'ok').length) / xs.length);
  const fastMs = o.fastAckMs ?? 1_000;
  const grace = o.minorityGraceMs ?? 0;
  return {
    ops: ops.length,
    acked: ops.filter((x) => x.kind !== 'get' && x.outcome === 'ok').length,
    lost: count('lost'),
    resurrected: count('resurrected'),
    impossible: count('impossible'),
    divergent: count('divergent'),
    availability: okShare(ops),
    windows: windows.map((w) => {
      const inWindow = ops.filter((x) => x.invokedAt >= w.start && x.invokedAt < w.end);
      const writes = inWindow.filter((x) => x.kind !== 'get');
      const noQuorum = new Set(w.noQuorumKeys ?? []);
      const majoritySide = writes.filter((x) => !w.minority.includes(x.node));
      const majority = majoritySide.filter((x) => !noQuorum.has(x.key));
      const isFast = (x: HistoryOp) => x.outcome === 'ok' && x.completedAt - x.invokedAt <= fastMs;
      const fast = majority.filter(isFast);
      const late = majority.filter((x) => x.invokedAt >= w.start + grace);
      const minorityAcks = writes.filter((x) => w.minority.includes(x.node) && x.outcome === 'ok' && x.invokedAt >= w.start + grace && x.completedAt <= w.end).length;
      return {
        name: w.name,
        ops: inWindow.length,
        availability: okShare(inWindow),
        majorityWrites: majority.length,
        majorityFastAcked: majority.length === 0 ? 100 : (100 * fast.length) / majority.length,
        majorityFastAckedAfterGrace: late.length === 0 ? 100 : (100 * late.filter(isFast).length) / late.length,
        noQuorumWrites: majoritySide.length - majority.length,
        minorityAcks,
      };
    }),
    anomalies,
  };
}

/** `chaos: ops N, acked A, lost L, resurrected R, impossible I, divergent D, availability P%`. */
export function summaryLine(r: CheckReport): string {
  return `chaos: ops ${r.ops}, acked ${r.acked}, lost ${r.lost}, resurrected ${r.resurrected}, impossible ${r.impossible}, divergent ${r.divergent}, availability ${r.availability.toFixed(1)}%`;
}

/** One line per window: availability, majority-side fast acks, minority acks. */
export function windowLine(w: WindowReport, fastAckMs = 1_000): string {
  return `chaos window ${w.name}: ops ${w.ops}, availability ${w.availability.toFixed(1)}%, majority writes ${w.majorityWrites} acked within ${fastAckMs} ms ${w.majorityFastAcked.toFixed(1)}% (after detection ${w.majorityFastAckedAfterGrace.toFixed(1)}%)${w.noQuorumWrites > 0 ? ` (+${w.noQuorumWrites} of keys without an owner quorum on the majority side, excluded)` : ''}, minority acks ${w.minorityAcks}`;
}

function mostCommon(xs: ReadonlyArray<string | null>): string | null {
  const n = new Map<string | null, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  let best: string | null = null;
  let bestN = -1;
  for (const [x, c] of n) if (c > bestN) [best, bestN] = [x, c];
  return best;
}
