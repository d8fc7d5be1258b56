// Summarises the per-run CPU profiles `BENCH_PROFILE_DIR=<dir> npm run bench:api` writes: self
// time per request (µs) of each function (or, with `--by area`, of each library / node module),
// one column per run, so a cost that appears from one run on stands out.
//   node bench/api/profile-table.mjs <dir> [--by function|area] [--rows N]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { by: { type: 'string', default: 'function' }, rows: { type: 'string', default: '30' } },
});
const dir = positionals[0];
if (!dir) throw new Error('usage: profile-table.mjs <dir> [--by function|area] [--rows N]');

/** Where a frame's code lives: one of our libs/apps, an npm package, a node module, or a VM state. */
function area({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName}`;
  const ours = /\/dist\/(libs|apps)\/([^/]+)\//.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.includes('node_modules/')) return `npm ${url.split('node_modules/').pop().split('/')[0]}`;
  return url;
}
const label = (f) => (values.by === 'area' ? area(f) : `${f.functionName || '(anonymous)'} ${area(f)}:${f.lineNumber + 1}`);

const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
const columns = files.map((f) => f.replace('.cpuprofile', ''));
const table = new Map();
const add = (row, col, us) => {
  if (!table.has(row)) table.set(row, new Map());
  table.get(row).set(col, (table.get(row).get(col) ?? 0) + us);
};
for (const [i, file] of files.entries()) {
  const requests = Number(columns[i].split('-')[2]);
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // A sample's time is the delta to the next sample.
  for (let s = 0; s < samples.length - 1; s++) {
    const frame = byId.get(samples[s]).callFrame;
    const us = timeDeltas[s + 1] / requests;
    add(label(frame), columns[i], us);
    if (frame.functionName !== '(idle)') add('= busy', columns[i], us);
  }
}
const peak = (row) => Math.max(...row.values());
const rows = [...table].sort((a, b) => peak(b[1]) - peak(a[1])).slice(0, Number(values.rows));
console.log(`${'µs per request'.padEnd(64)}${columns.map((c) => c.slice(0, 14).padStart(15)).join('')}`);
for (const [name, cells] of rows) {
  console.log(`${name.slice(0, 63).padEnd(64)}${columns.map((c) => (cells.get(c) ?? 0).toFixed(2).padStart(15)).join('')}`);
}
