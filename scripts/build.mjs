// Compiles apps/ and libs/ (not specs) to CommonJS under dist/ with SWC, rewriting the
// @hypercache/* aliases to relative paths. Type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile, chmod, rename } from 'node:fs/promises';
import { join, relative, dirname } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { swcOptions, root } = require('./swc-options.cjs');

async function* walk(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'testing') yield* walk(p);
    }
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts')) yield p;
  }
}

// Build into a fresh directory and swap it in at the end, so a process started from dist/ while
// a build runs (a benchmark, a second test run) never sees a half-written tree.
const final = join(root, 'dist');
const out = join(root, `.dist-build-${process.pid}`);
await rm(out, { recursive: true, force: true });
const opts = swcOptions({ rewritePaths: true });
let n = 0;
for (const top of ['apps', 'libs']) {
  for await (const file of walk(join(root, top))) {
    const rel = relative(root, file).replace(/\.ts$/, '.js');
    const target = join(out, rel);
    const { code, map } = await transformFile(file, { ...opts, filename: file, sourceFileName: relative(dirname(target), file) });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${rel.split('/').pop()}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
    n++;
  }
}
await chmod(join(out, 'apps/server/src/main.js'), 0o755);
const old = join(root, `.dist-old-${process.pid}`);
await rename(final, old).catch(() => undefined);
await rename(out, final);
await rm(old, { recursive: true, force: true });
console.log(`build: ${n} files → dist/`);
