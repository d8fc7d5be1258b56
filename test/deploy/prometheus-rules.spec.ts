import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { githubAnchor, metricNamesIn } from '../support/promql';
import { ROOT } from '../support/server-process';

// The alert rules ship twice (plain rules file + PrometheusRule) and are unit-tested with promtool
// (Debian package `prometheus`, installed by .ci/run): each alert fires from synthetic series and
// stays quiet on a healthy cluster.
const DIR = join(ROOT, 'deploy/prometheus');
const RULES = join(DIR, 'hypercache.rules.yml');
const TESTS = join(DIR, 'hypercache.rules.test.yml');
const OPERATOR = join(DIR, 'hypercache-rules.yaml');

type Rule = { alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> };
const rulesDoc = parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> };
const alerts = rulesDoc.groups.flatMap((g) => g.rules);

function promtool(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', cwd: DIR });
  if (r.error) throw new Error(`promtool not runnable (install the Debian package "prometheus"): ${r.error.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('alert rules', () => {
  it('promtool check rules accepts the rules file', () => {
    const r = promtool('check', 'rules', RULES);
    expect(r.out).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(r.status).toBe(0);
  });

  it('promtool test rules passes: every alert fires from synthetic series and stays quiet on healthy ones', () => {
    const r = promtool('test', 'rules', TESTS);
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 120_000);

  it('the promtool tests cover every alert both ways: a firing case and the healthy cluster', () => {
    const tests = (parse(readFileSync(TESTS, 'utf8')) as { tests: Array<{ name: string; alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> }).tests;
    const checks = tests.flatMap((t) => t.alert_rule_test.map((c) => ({ test: t.name, ...c })));
    const healthy = tests.find((t) => t.name.startsWith('healthy'))!;
    for (const { alert } of alerts) {
      expect(checks.some((c) => c.alertname === alert && c.exp_alerts.length > 0)).toBe(true);
      expect(healthy.alert_rule_test.filter((c) => c.alertname === alert && c.exp_alerts.length === 0).length).toBeGreaterThan(0);
    }
  });

  it('the unit tests are not vacuous: an alert whose expression never fires makes them fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hc-rules-'));
    try {
      writeFileSync(join(dir, 'tests.yml'), readFileSync(TESTS, 'utf8'));
      for (const { alert } of alerts) {
        const mutated = structuredClone(rulesDoc);
        for (const g of mutated.groups) for (const r of g.rules) if (r.alert === alert) r.expr = 'vector(1) > 2';
        writeFileSync(join(dir, 'hypercache.rules.yml'), stringify(mutated));
        const r = spawnSync('promtool', ['test', 'rules', 'tests.yml'], { encoding: 'utf8', cwd: dir });
        expect({ alert, status: r.status }).toEqual({ alert, status: 1 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000); // one promtool run per alert: ≈ 1 min idle, several under load

  it('every alert has a severity, a summary, a description and a runbook_url into docs/operations.md', () => {
    const runbook = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#{2,4} (.+)$/gm)].map((m) => githubAnchor(m[1])));
    for (const r of alerts) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.summary?.length).toBeGreaterThan(10);
      expect(r.annotations.description?.length).toBeGreaterThan(20);
      const [path, anchor] = r.annotations.runbook_url.split('#');
      expect(path).toBe('docs/operations.md');
      expect({ alert: r.alert, anchor: anchors.has(anchor) }).toEqual({ alert: r.alert, anchor: true });
    }
  });

  it('the PrometheusRule carries exactly the groups of the rules file and validates against the operator schema', () => {
    const doc = parse(readFileSync(OPERATOR, 'utf8'));
    expect(doc.spec).toEqual(rulesDoc);
    const { PrometheusRule } = require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule');
    expect(() => new PrometheusRule(doc).validate()).not.toThrow();
  });

  it('the metric-name extraction the /metrics comparison relies on reads names, not functions or labels', () => {
    expect(metricNamesIn('sum by (instance) (rate(http_server_requests_total{listener="api",status=~"5.."}[5m])) / cache_bytes offset 5m')).toEqual([
      'http_server_requests_total',
      'cache_bytes',
    ]);
    expect(metricNamesIn(alerts.find((a) => a.alert === 'HyperCacheMemoryNearLimit')!.expr)).toEqual(['cache_bytes', 'cache_max_bytes']);
  });
});
