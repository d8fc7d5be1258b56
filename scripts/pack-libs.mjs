// Builds and packs the publishable libraries into dist/packages/<scope>-<name>-<version>.tgz.
// @hypercache/hybrid-cache: esbuild bundles src/{index,nest/index,testing/index}.ts into CommonJS
// (.cjs) and ESM (.mjs) entry points, inlining the private engine sources it uses
// (libs/cache-engine, libs/eviction); runtime deps (msgpackr) and peers (ioredis, @nestjs/common)
// stay external, and the nest/testing entries import the main entry by package name so every
// entry shares one copy of the classes. tsc emits the .d.ts files. See docs/decisions.md (H-rows).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist/packages');

async function* walk(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

async function packHybridCache() {
  const lib = join(root, 'libs/hybrid-cache');
  const stage = join(out, 'stage/hybrid-cache');
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  const pkg = JSON.parse(await readFile(join(lib, 'package.json'), 'utf8'));
  const entries = ['index', 'nest/index', 'testing/index'].map((e) => join(lib, 'src', `${e}.ts`));
  const selfImport = {
    name: 'self-import-external',
    setup(b) {
      // The subpath entries reach the main entry through the package name (one shared copy).
      b.onResolve({ filter: /^@hypercache\/hybrid-cache$/ }, (args) => (args.importer.includes('/src/index.ts') ? undefined : { path: args.path, external: true }));
    },
  };
  const common = {
    entryPoints: entries,
    outbase: join(lib, 'src'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    external: ['msgpackr', 'ioredis', '@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs'],
    plugins: [selfImport],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
  await build({ ...common, format: 'cjs', outdir: join(stage, 'dist/cjs'), outExtension: { '.js': '.cjs' } });
  await build({ ...common, format: 'esm', outdir: join(stage, 'dist/esm'), outExtension: { '.js': '.mjs' } });

  // Declarations: tsc over the three entries (it follows the path aliases into the engine), then
  // keep only the package's own .d.ts files; none may mention a private package.
  const typesTmp = join(out, 'stage/hybrid-cache-types');
  await rm(typesTmp, { recursive: true, force: true });
  const tsconfig = join(out, 'stage/tsconfig.hybrid-cache.json');
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
  const typesSrc = join(typesTmp, 'hybrid-cache/src');
  for await (const f of walk(typesSrc)) {
    if (f.endsWith('.spec.d.ts')) continue;
    const text = await readFile(f, 'utf8');
    const leak = text.match(/@hypercache\/(?!hybrid-cache)[\w-]+/);
    if (leak) throw new Error(`${relative(typesSrc, f)} references the private package ${leak[0]}`);
    const target = join(stage, 'dist/types', relative(typesSrc, f));
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, text);
  }
  await rm(typesTmp, { recursive: true, force: true });

  delete pkg.devDependencies;
  await writeFile(join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await cp(join(lib, 'README.md'), join(stage, 'README.md'));
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
  console.log(`pack: ${join('dist/packages', tgz)}`);
  return join(out, tgz);
}

await mkdir(out, { recursive: true });
await packHybridCache();
