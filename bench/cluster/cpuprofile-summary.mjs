// Summarises V8 .cpuprofile files (node --cpu-prof): self time by function and by package/file,
// as a share of all samples. Usage: node bench/cluster/cpuprofile-summary.mjs <file|dir>... [--top N] [--last-s S]
// --last-s S: only the samples of the last S seconds of each profile (the load, not the startup).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const topIdx = args.indexOf('--top');
const top = topIdx >= 0 ? Number(args.splice(topIdx, 2)[1]) : 40;
const lastIdx = args.indexOf('--last-s');
const lastS = lastIdx >= 0 ? Number(args.splice(lastIdx, 2)[1]) : Infinity;
// --requests R: also print µs of sampled time per request (sample ms × 1000 / R) per area.
const reqIdx = args.indexOf('--requests');
const requests = reqIdx >= 0 ? Number(args.splice(reqIdx, 2)[1]) : 0;
const files = args.flatMap((a) => (statSync(a).isDirectory() ? readdirSync(a).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(a, f)) : [a]));

/** Where a frame's code lives: a package name, a project lib/app, or a node: internal. */
function area(url) {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/dist\/((?:libs|apps)\/[^/]+)\//.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/');
  return url;
}

for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // Sample i was taken at startTime + sum(timeDeltas[0..i]) (µs).
  const at = [];
  let t = p.startTime;
  for (const d of p.timeDeltas) at.push((t += d));
  const from = p.endTime - lastS * 1e6;
  const self = new Map();
  let total = 0;
  p.samples.forEach((s, i) => {
    if (at[i] < from) return;
    total++;
    self.set(s, (self.get(s) ?? 0) + 1);
  });
  const fn = new Map();
  const ar = new Map();
  let idle = 0;
  for (const [id, count] of self) {
    const n = byId.get(id);
    const cf = n.callFrame;
    if (cf.functionName === '(idle)') {
      idle += count;
      continue;
    }
    const name = `${cf.functionName || '(anon)'} ${area(cf.url)}:${cf.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + count);
    const a = cf.url ? area(cf.url) : cf.functionName;
    ar.set(a, (ar.get(a) ?? 0) + count);
  }
  const busy = total - idle;
  const interval = (p.endTime - p.startTime) / p.samples.length; // µs per sample
  const pct = (c) => ((100 * c) / busy).toFixed(1).padStart(5) + (requests ? ` ${((c * interval) / requests).toFixed(1).padStart(6)} µs/req` : '');
  console.log(`\n== ${file}: ${total} samples${requests ? ` (busy ${((busy * interval) / requests).toFixed(1)} µs/req)` : ''}, ${((100 * idle) / total).toFixed(0)}% idle; shares of busy samples`);
  console.log('-- by area');
  for (const [k, c] of [...ar].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${pct(c)}%  ${k}`);
  console.log('-- by function (self)');
  for (const [k, c] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(c)}%  ${k}`);
}
