// Counts the names each libs/*/src/index.ts exports and how many of them are imported from
// outside that lib (apps/, other libs, test/, bench/, scripts/), for the "lib faces" figures of
// issue 14. Usage: node scripts/lib-faces.mjs [--unused]   (prints one line per lib, then totals).
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const showUnused = process.argv.includes('--unused');

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name)) yield p;
  }
}

/** Exported names of an entry file: every name inside `export { … }` and `export <decl> name`. */
function exportedNames(src) {
  const names = new Set();
  for (const m of src.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const n = part.replace(/\btype\s+/, '').trim().split(/\s+as\s+/).pop()?.trim();
      if (n) names.add(n);
    }
  }
  for (const m of src.matchAll(/export\s+(?:declare\s+)?(?:abstract\s+)?(?:const|let|function|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  return names;
}

const libs = readdirSync(join(root, 'libs')).filter((d) => existsSync(join(root, 'libs', d, 'src', 'index.ts')));
const files = ['apps', 'libs', 'test', 'bench', 'scripts'].filter((d) => existsSync(join(root, d))).flatMap((d) => [...walk(join(root, d))]);
let total = 0;
let totalUsed = 0;
for (const lib of libs) {
  const names = exportedNames(readFileSync(join(root, 'libs', lib, 'src', 'index.ts'), 'utf8'));
  const used = new Set();
  const libDir = join(root, 'libs', lib) + '/';
  const importRe = new RegExp(`import\\s*(?:type\\s*)?\\{([^}]*)\\}\\s*from\\s*['"](?:@hypercache/${lib}|[./]+(?:dist/)?libs/${lib}/src(?:/index(?:\\.js)?)?)['"]`, 'g');
  const requireRe = new RegExp(`\\{([^}]*)\\}\\s*=\\s*require\\(\\s*['"](?:@hypercache/${lib}|[./]+(?:dist/)?libs/${lib}/src(?:/index(?:\\.js)?)?)['"]\\s*\\)`, 'g');
  const nsRe = new RegExp(`(?:require\\(|import\\s*\\*\\s*as\\s+\\w+\\s+from\\s*)['"](?:@hypercache/${lib}|[./]+(?:dist/)?libs/${lib}/src(?:/index(?:\\.js)?)?)['"]`);
  for (const f of files) {
    if (f.startsWith(libDir)) continue;
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(importRe)) {
      for (const part of m[1].split(',')) {
        const n = part.replace(/\btype\s+/, '').trim().split(/\s+as\s+/)[0]?.trim();
        if (n) used.add(n);
      }
    }
    // Destructured require: `const { A, B: b } = require('…/libs/<lib>/src/index.js')`.
    for (const m of src.matchAll(requireRe)) {
      for (const part of m[1].split(',')) {
        const n = part.trim().split(/\s*:\s*/)[0]?.trim();
        if (n) used.add(n);
      }
    }
    // Namespace imports / require: count the names used as `<ns>.Name`.
    if (nsRe.test(src)) for (const n of names) if (new RegExp(`\\.${n}\\b`).test(src)) used.add(n);
  }
  const usedHere = [...names].filter((n) => used.has(n));
  total += names.size;
  totalUsed += usedHere.length;
  console.log(`${lib.padEnd(14)} exported ${String(names.size).padStart(3)}  imported outside ${String(usedHere.length).padStart(3)}  unused ${String(names.size - usedHere.length).padStart(3)}`);
  if (showUnused) console.log(`   unused: ${[...names].filter((n) => !used.has(n)).join(', ')}`);
}
console.log(`${'total'.padEnd(14)} exported ${String(total).padStart(3)}  imported outside ${String(totalUsed).padStart(3)}  unused ${String(total - totalUsed).padStart(3)}`);
