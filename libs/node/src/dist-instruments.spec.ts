import { DistMetrics } from '@hypercache/distributed';
import { DIST_INSTRUMENTS } from '@hypercache/telemetry';

describe('DIST_INSTRUMENTS', () => {
  it('maps every numeric DistMetrics field to exactly one dist.* instrument', () => {
    const numeric = Object.entries(new DistMetrics())
      .filter(([, v]) => typeof v === 'number')
      .map(([k]) => k)
      .sort();
    expect(DIST_INSTRUMENTS.map((d) => d.field).sort()).toEqual(numeric);
  });

  it('uses unique names under dist. as registered upstream (dist-protocol.md §16)', () => {
    const names = DIST_INSTRUMENTS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^dist\.[a-z_.]+$/);
    expect(names).toContain('dist.read.repair.batched');
    expect(names).not.toContain('dist.read_repair.batched');
  });

  it.each([
    ['dist.hinted.bytes', 'gauge', 'By'],
    ['dist.tombstones.active', 'gauge', '{tombstone}'],
    ['dist.membership.version', 'gauge', '{version}'],
    ['dist.rebalance.last_ns', 'gauge', 'ns'],
    ['dist.write.acks', 'counter', '{ack}'],
    ['dist.heartbeat.success', 'counter', '{probe}'],
  ])('%s is a %s in %s', (name, kind, unit) => {
    expect(DIST_INSTRUMENTS.find((d) => d.name === name)).toMatchObject({ kind, unit });
  });
});
