import { http } from '../support/http';
import { netnsChaosCluster } from './chaos-targets';

it('debug isolate', async () => {
  const c = await netnsChaosCluster(5);
  const n2 = c.targets[1];
  const mg = (i: number) => c.targets[i - 1].api.replace(':8080', ':8081');
  c.isolate([2], [1, 3, 4, 5]);
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < 8000) {
    const m = (await http('GET', `${mg(2)}/cluster/members`)).json().members.map((x: any) => `${x.ID}:${x.State}`).join(' ');
    if (m !== last) process.stdout.write(`t=${Date.now() - t0} members ${m}\n`);
    last = m;
    await new Promise((r) => setTimeout(r, 50));
  }
  for (let i = 0; i < 3; i++) {
    const s = Date.now();
    const r = await http('PUT', `${n2.api}/v1/cache/dbg-${i}`, { body: 'x' }).catch((e) => ({ status: String(e), text: '' }));
    const m = (await http('GET', `${mg(2)}/cluster/members`)).json().members.map((x: any) => `${x.ID}:${x.State}`).join(' ');
    process.stdout.write(`t=${s - t0} put ${r.status} ${Date.now() - s}ms ${r.text.slice(0, 120)} | ${m}\n`);
    await new Promise((r) => setTimeout(r, 300));
  }
}, 120_000);
