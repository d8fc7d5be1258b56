import { namespacesAvailable } from '../support/netns';
import { until } from '../support/until';
import { ChaosClients } from './chaos-clients';
import { inProcessChaosCluster, netnsChaosCluster, type ChaosCluster } from './chaos-targets';
import { checkHistory, summaryLine, windowLine, type FaultWindow } from './history-checker';
import { FAULTS, SCHEDULES } from './schedules';

/**
 * The chaos suite (issue 21): 5 real nodes (RF 3, QUORUM writes, ONE reads), 8 clients recording
 * a history, a schedule of faults, then healing, convergence and the history checker.
 * `CHAOS_LONG=1` (`npm run test:chaos -- --long`) runs the full set with longer windows.
 */
const NODES = 5;
const schedule = process.env.CHAOS_LONG === '1' ? SCHEDULES.long : SCHEDULES.short;
/**
 * Minority-side acks are counted from this long after a fault starts: until a minority node holds
 * the others dead (6 H = 1.8 s here, plus a heartbeat round) it may acknowledge a write a strict
 * quorum of the key's owners acked (docs/decisions.md, promises under each fault).
 */
const DETECTION_GRACE_MS = 3_000;
const KEYS = Array.from({ length: 40 }, (_, i) => `chaos-${i}`);

describe(`chaos: ${schedule.faults.join(', ')} (${schedule.windowMs / 1000} s windows)`, () => {
  let cluster: ChaosCluster;
  let clients: ChaosClients;

  beforeAll(async () => {
    const ns = process.env.CHAOS_IN_PROCESS === '1' ? { ok: false, why: 'CHAOS_IN_PROCESS=1' } : namespacesAvailable();
    if (ns.ok) {
      cluster = await netnsChaosCluster(NODES);
    } else {
      process.stdout.write(`chaos: network namespaces unavailable (${ns.why}); falling back to the in-process PeerFaultSwitch, kernel faults skipped\n`);
      cluster = await inProcessChaosCluster(NODES);
    }
  }, 120_000);

  afterAll(async () => {
    await clients?.close();
  });

  it('loses, resurrects, invents and diverges nothing; a minority acknowledges no QUORUM write', async () => {
    clients = new ChaosClients(cluster.targets, { clients: 8, keys: KEYS, thinkMs: 40, timeoutMs: 8_000 });
    // Event-loop stalls of the test process itself (its clients time the operations): a stall
    // delays every completion it overlaps, whatever the cluster did.
    const stalls: Array<{ at: number; ms: number }> = [];
    let tickAt = Date.now();
    const lagProbe = setInterval(() => {
      const now = Date.now();
      if (now - tickAt > 250) stalls.push({ at: tickAt, ms: now - tickAt - 50 });
      tickAt = now;
    }, 50);
    const windows: FaultWindow[] = [];
    const ownersByWindow = new Map<string, Map<string, number[]>>();
    clients.start();
    await pause(1_500);
    for (const name of schedule.faults) {
      const fault = FAULTS[name];
      if (fault.kernel && !cluster.kernelFaults) {
        process.stdout.write(`chaos: ${name} skipped (needs network namespaces)\n`);
        continue;
      }
      const owners = new Map<string, number[]>();
      for (const key of KEYS) owners.set(key, await cluster.ownerIndexes(key));
      const start = Date.now();
      const minority = await fault.apply(cluster, KEYS[0]);
      await pause(schedule.windowMs);
      // Keys whose strict quorum of owners is cut off cannot be acknowledged until the ring moves (F11).
      const noQuorumKeys = KEYS.filter((k) => {
        const o = owners.get(k)!;
        return o.filter((i) => !minority.includes(i)).length < Math.floor(o.length / 2) + 1;
      });
      windows.push({ name, start, end: Date.now(), minority, noQuorumKeys });
      ownersByWindow.set(name, owners);
      await fault.heal(cluster);
      await cluster.untilHealed(60_000);
      await pause(1_000);
    }
    await clients.stop();
    clearInterval(lagProbe);
    // Convergence: hints, anti-entropy and rebalancing bring every owner to the same state.
    let final = await cluster.finalState(KEYS);
    await until(async () => {
      final = await cluster.finalState(KEYS);
      return [...final.values()].every((v) => new Set(v).size === 1);
    }, 30_000, 500).catch(() => undefined);
    const report = checkHistory(clients.history, final, windows, { minorityGraceMs: DETECTION_GRACE_MS });
    const lines = [summaryLine(report), ...report.windows.map((w) => windowLine(w)), ...report.anomalies.slice(0, 20).map((a) => `chaos anomaly ${a.kind} ${a.key}: ${a.detail}`)];
    for (const w of windows) {
      const acks = clients.history.filter((x) => x.kind !== 'get' && x.outcome === 'ok' && w.minority.includes(x.node) && x.invokedAt >= w.start + DETECTION_GRACE_MS && x.completedAt <= w.end);
      const slow = clients.history.filter((x) => x.kind !== 'get' && !w.minority.includes(x.node) && x.invokedAt >= w.start && x.invokedAt < w.end && (x.outcome !== 'ok' || x.completedAt - x.invokedAt > 1_000));
      const shape = new Map<string, number>();
      for (const x of slow) {
        const excluded = w.noQuorumKeys?.includes(x.key) ? ' (no owner quorum, excluded)' : '';
        const k = `${x.kind} ${x.outcome}${x.detail === undefined ? '' : ` (${x.detail})`} ${x.completedAt - x.invokedAt > 1_000 ? 'slow' : 'fast'} via node ${x.node}${excluded}`;
        shape.set(k, (shape.get(k) ?? 0) + 1);
      }
      if (slow.length > 0) lines.push(`chaos majority writes not acked within 1 s in ${w.name}: ${[...shape].map(([k, n]) => `${n}× ${k}`).join(', ')}`);
      // Per-op trace: when in the window, how long, and the key's owners (primary first) at the fault start.
      for (const x of slow.slice(0, 12)) {
        lines.push(`chaos   ${w.name} ${x.kind} ${x.key} via node ${x.node} at +${x.invokedAt - w.start} ms took ${x.completedAt - x.invokedAt} ms ${x.outcome}${x.detail === undefined ? '' : ` ${x.detail}`}, owners ${ownersByWindow.get(w.name)?.get(x.key)?.join(',')}`);
      }
      const inWindow = stalls.filter((x) => x.at >= w.start && x.at < w.end + 3_000);
      if (inWindow.length > 0) lines.push(`chaos test-process stalls in ${w.name} (until 3 s after it): ${inWindow.map((x) => `+${x.at - w.start} ms ${x.ms} ms`).join(', ')}`);
      for (const x of acks.slice(0, 5)) lines.push(`chaos minority ack in ${w.name}: ${x.kind} ${x.key} on node ${x.node} at +${x.invokedAt - w.start} ms, took ${x.completedAt - x.invokedAt} ms`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    if (process.env.CHAOS_LOG_DIR) {
      cluster.dumpLogs?.(process.env.CHAOS_LOG_DIR);
      process.stdout.write(`chaos windows (epoch ms): ${windows.map((w) => `${w.name} ${w.start}-${w.end}`).join(', ')}\n`);
    }
    expect(report.ops).toBeGreaterThan(100);
    expect(report.anomalies).toEqual([]);
    for (const w of report.windows) expect({ window: w.name, minorityAcks: w.minorityAcks }).toEqual({ window: w.name, minorityAcks: 0 });
  }, 600_000);
});

/** Holding a fault for its window is the schedule itself, not a wait for state. */
function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
