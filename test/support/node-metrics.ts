import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { http } from './http';

/**
 * Sum of the samples of metric `name` on the node whose management URL is `mgmt`, over the
 * samples whose labels include `labels` (a real Prometheus text-format parser; 0 when absent).
 */
export async function metricSum(mgmt: string, token: string | undefined, name: string, labels: Record<string, string> = {}): Promise<number> {
  const r = await http('GET', `${mgmt}/metrics`, { token });
  if (r.status !== 200) throw new Error(`GET ${mgmt}/metrics answered ${r.status}`);
  const family = parsePrometheusTextFormat(r.text).find((f) => f.name === name);
  if (family === undefined) return 0;
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((s, m) => s + Number(m.value ?? 0), 0);
}
