import { checkHistory, summaryLine, windowLine, type HistoryOp } from './history-checker';

/** A tiny history builder: times are whole ms on one clock. */
const put = (key: string, value: string, invokedAt: number, completedAt: number, outcome: HistoryOp['outcome'] = 'ok', client = 1, node = 1): HistoryOp => ({
  client,
  node,
  kind: 'put',
  key,
  value,
  invokedAt,
  completedAt,
  outcome,
});
const del = (key: string, invokedAt: number, completedAt: number, outcome: HistoryOp['outcome'] = 'ok', client = 1, node = 1): HistoryOp => ({
  client,
  node,
  kind: 'delete',
  key,
  invokedAt,
  completedAt,
  outcome,
});
const get = (key: string, value: string | null, invokedAt: number, completedAt: number, client = 1, node = 1): HistoryOp => ({
  client,
  node,
  kind: 'get',
  key,
  value,
  invokedAt,
  completedAt,
  outcome: 'ok',
});
const finalOf = (entries: Record<string, Array<string | null>>) => new Map(Object.entries(entries));

describe('checkHistory', () => {
  it('raises no alarm on a legal history with concurrent writes, a delete, unknown outcomes and stale ONE reads', () => {
    const ops = [
      put('a', 'a1', 0, 10),
      put('a', 'a2', 5, 20, 'ok', 2), // concurrent with a1: either may win
      get('a', 'a1', 25, 26, 3), // stale read: legal under ONE
      put('b', 'b1', 0, 5),
      del('b', 10, 15),
      get('b', null, 20, 21),
      put('c', 'c1', 0, 5),
      put('c', 'c2', 10, 4_000, 'unknown'), // timed out, applied later: may win
      put('d', 'd1', 0, 5),
      put('d', 'd2', 10, 4_000, 'unknown'), // timed out, never applied: d1 stays
      get('d', 'd2', 20, 30, 2), // an unknown write may be visible
    ];
    const r = checkHistory(ops, finalOf({ a: ['a1', 'a1', 'a1'], b: [null, null, null], c: ['c2', 'c2', 'c2'], d: ['d1', 'd1', 'd1'] }));
    expect(r.anomalies).toEqual([]);
    expect(r).toMatchObject({ ops: 11, acked: 6, lost: 0, resurrected: 0, impossible: 0, divergent: 0 });
  });

  it('catches an acknowledged write lost to an older one', () => {
    const ops = [put('k', 'v1', 0, 10), put('k', 'v2', 20, 30)];
    const r = checkHistory(ops, finalOf({ k: ['v1', 'v1', 'v1'] }));
    expect(r.lost).toBe(1);
    expect(r.anomalies[0]).toMatchObject({ kind: 'lost', key: 'k' });
  });

  it('catches an acknowledged write lost altogether (the key is gone, nobody deleted it)', () => {
    const r = checkHistory([put('k', 'v1', 0, 10)], finalOf({ k: [null, null, null] }));
    expect(r.lost).toBe(1);
  });

  it('catches a resurrected delete, and not a write that raced the delete', () => {
    const resurrected = checkHistory([put('k', 'v1', 0, 10), del('k', 20, 30)], finalOf({ k: ['v1', 'v1', 'v1'] }));
    expect(resurrected.resurrected).toBe(1);
    const raced = checkHistory([put('k', 'v1', 15, 35), del('k', 20, 30)], finalOf({ k: ['v1', 'v1', 'v1'] }));
    expect(raced.resurrected).toBe(0);
  });

  it('catches a read of a value never written, or read before its write began', () => {
    const never = checkHistory([put('k', 'v1', 0, 10), get('k', 'zz', 20, 30)], finalOf({ k: ['v1'] }));
    expect(never.impossible).toBe(1);
    const early = checkHistory([get('k', 'v1', 0, 5), put('k', 'v1', 10, 20)], finalOf({ k: ['v1'] }));
    expect(early.impossible).toBe(1);
    const failed = checkHistory([put('k', 'v1', 0, 5, 'fail'), get('k', 'v1', 10, 20)], finalOf({ k: [null] }));
    expect(failed.impossible).toBe(1);
  });

  it('flags a read older than the client’s own acknowledged write only where reads promise read-your-writes', () => {
    const ops = [put('k', 'v1', 0, 10, 'ok', 1), put('k', 'v2', 20, 30, 'ok', 1), get('k', 'v1', 40, 50, 1)];
    const final = finalOf({ k: ['v2', 'v2', 'v2'] });
    expect(checkHistory(ops, final).impossible).toBe(0);
    expect(checkHistory(ops, final, [], { readYourWrites: true }).impossible).toBe(1);
    // Another client's stale read is not covered by read-your-writes.
    const other = [put('k', 'v1', 0, 10, 'ok', 1), put('k', 'v2', 20, 30, 'ok', 1), get('k', 'v1', 40, 50, 2)];
    expect(checkHistory(other, final, [], { readYourWrites: true }).impossible).toBe(0);
  });

  it('catches owners that disagree after convergence', () => {
    const r = checkHistory([put('k', 'v1', 0, 10), put('k', 'v2', 5, 15)], finalOf({ k: ['v1', 'v2', 'v2'] }));
    expect(r.divergent).toBe(1);
    expect(r.lost).toBe(0); // v2 is the majority value and may legally win
  });

  it('reports availability, majority-side fast acks and minority acks per fault window', () => {
    const ops = [
      put('a', 'a1', 100, 150, 'ok', 1, 1), // majority, fast
      put('b', 'b1', 110, 2_000, 'ok', 2, 2), // majority, slow
      put('c', 'c1', 120, 130, 'unknown', 3, 3), // majority, not acked
      put('d', 'd1', 130, 140, 'ok', 4, 5), // minority ack, inside the grace period
      put('e', 'e1', 800, 900, 'ok', 5, 5), // minority ack after the grace period
      get('a', 'a1', 140, 145, 6, 5),
      put('f', 'f1', 5_000, 5_010, 'ok', 1, 1), // outside the window
    ];
    const final = finalOf({ a: ['a1'], b: ['b1'], c: [null], d: ['d1'], e: ['e1'], f: ['f1'] });
    const r = checkHistory(ops, final, [{ name: 'isolate-5', start: 100, end: 1_000, minority: [5] }], { minorityGraceMs: 500 });
    expect(r.windows[0]).toMatchObject({ name: 'isolate-5', ops: 6, majorityWrites: 3, minorityAcks: 1 });
    expect(r.windows[0].availability).toBeCloseTo((5 / 6) * 100, 6);
    expect(r.windows[0].majorityFastAcked).toBeCloseTo((1 / 3) * 100, 6);
    expect(r.windows[0].majorityFastAckedAfterGrace).toBe(100); // no majority write after the grace period
    expect(summaryLine(r)).toBe('chaos: ops 7, acked 5, lost 0, resurrected 0, impossible 0, divergent 0, availability 85.7%');
  });

  it('leaves majority-side writes of keys without an owner quorum on the majority side out of the fast-ack figures', () => {
    const ops = [
      put('a', 'a1', 100, 150, 'ok', 1, 1), // fast
      put('q', 'q1', 110, 2_000, 'unknown', 2, 2), // key with 2 of 3 owners cut off: excluded
      put('q', 'q2', 120, 3_000, 'ok', 3, 3), // excluded
      put('q', 'q3', 130, 140, 'ok', 4, 5), // minority side, inside the grace period: not a majority write
    ];
    const final = finalOf({ a: ['a1'], q: ['q2'] });
    const w = { name: 'split', start: 100, end: 1_000, minority: [5] };
    const plain = checkHistory(ops, final, [w]).windows[0];
    expect(plain).toMatchObject({ majorityWrites: 3, noQuorumWrites: 0 });
    expect(plain.majorityFastAcked).toBeCloseTo(100 / 3, 6);
    const r = checkHistory(ops, final, [{ ...w, noQuorumKeys: ['q'] }], { minorityGraceMs: 500 }).windows[0];
    expect(r).toMatchObject({ majorityWrites: 1, majorityFastAcked: 100, noQuorumWrites: 2 });
    expect(windowLine(r)).toBe(
      'chaos window split: ops 4, availability 75.0%, majority writes 1 acked within 1000 ms 100.0% (after detection 100.0%) (+2 of keys without an owner quorum on the majority side, excluded), minority acks 0',
    );
  });
});
