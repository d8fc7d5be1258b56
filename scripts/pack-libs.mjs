// Builds and packs the publishable libraries into dist/packages/<scope>-<name>-<version>.tgz.
// Each package: esbuild bundles its entry points into CommonJS (.cjs) and ESM (.mjs), inlining the
// private sources it uses (@hypercache/hybrid-cache: libs/cache-engine, libs/eviction;
// @hypercache/client: libs/membership's ring function, libs/hashing and xxhash-wasm); runtime deps
// and peers stay external, and the subpath entries import the main entry by package name so every
// entry shares one copy of the classes. tsc emits the .d.ts files, which may name no private
// package. See docs/decisions.md (H- and N-rows). Usage: node scripts/pack-libs.mjs [lib ...]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// PACK_OUT: another output directory (tests pack in parallel without sharing a staging tree).
const out = process.env.PACK_OUT ?? join(root, 'dist/packages');
const NEST = ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs'];

/** The publishable libraries: entry points under src/, what stays external, which packages the types may name. */
const PACKAGES = {
  'hybrid-cache': { entries: ['index', 'nest/index', 'testing/index'], external: ['msgpackr', 'ioredis', ...NEST], publicPackages: [] },
  client: { entries: ['index', 'hybrid/index', 'nest/index'], external: ['undici', '@hypercache/hybrid-cache', ...NEST], publicPackages: ['hybrid-cache'] },
};

async function* walk(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

async function packLib(name) {
  const spec = PACKAGES[name];
  if (spec === undefined) throw new Error(`unknown package ${name} (known: ${Object.keys(PACKAGES).join(', ')})`);
  const lib = join(root, 'libs', name);
  const stage = join(out, 'stage', name);
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  const pkg = JSON.parse(await readFile(join(lib, 'package.json'), 'utf8'));
  const entries = spec.entries.map((e) => join(lib, 'src', `${e}.ts`));
  const self = new RegExp(`^${pkg.name.replace('/', '\\/')}$`);
  const mainEntry = join(lib, 'src/index.ts');
  const selfImport = {
    name: 'self-import-external',
    setup(b) {
      // The subpath entries reach the main entry through the package name (one shared copy).
      b.onResolve({ filter: self }, (args) => (args.importer === mainEntry ? undefined : { path: args.path, external: true }));
    },
  };
  const common = {
    entryPoints: entries,
    outbase: join(lib, 'src'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    external: spec.external,
    plugins: [selfImport],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
  await build({ ...common, format: 'cjs', outdir: join(stage, 'dist/cjs'), outExtension: { '.js': '.cjs' } });
  await build({ ...common, format: 'esm', outdir: join(stage, 'dist/esm'), outExtension: { '.js': '.mjs' } });

  // Declarations: tsc over the entries (it follows the path aliases into private libs), then keep
  // only the package's own .d.ts files; none may mention a private package.
  // tsc runs from inside the repository (it resolves @types from there), per process.
  const work = join(root, 'dist/packages', `.types-${name}-${process.pid}`);
  const typesTmp = join(work, 'out');
  await rm(typesTmp, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const tsconfig = join(work, 'tsconfig.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: { declaration: true, emitDeclarationOnly: true, noEmit: false, sourceMap: false, rootDir: join(root, 'libs'), outDir: typesTmp, types: ['node'] },
      files: entries,
      include: [],
    }),
  );
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
  const typesSrc = join(typesTmp, name, 'src');
  const allowed = new Set([name, ...spec.publicPackages]);
  for await (const f of walk(typesSrc)) {
    if (f.endsWith('.spec.d.ts')) continue;
    const text = await readFile(f, 'utf8');
    const leak = [...text.matchAll(/@hypercache\/([\w-]+)/g)].find((m) => !allowed.has(m[1]));
    if (leak) throw new Error(`${relative(typesSrc, f)} references the private package ${leak[0]}`);
    const target = join(stage, 'dist/types', relative(typesSrc, f));
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, text);
  }
  await rm(work, { recursive: true, force: true });

  delete pkg.devDependencies;
  await writeFile(join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await cp(join(lib, 'README.md'), join(stage, 'README.md'));
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
  console.log(`pack: ${relative(root, join(out, tgz))}`);
  return join(out, tgz);
}

await mkdir(out, { recursive: true });
const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(PACKAGES)) await packLib(name);
