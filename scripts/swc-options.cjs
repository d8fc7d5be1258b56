// Shared SWC options for the build (scripts/build.mjs) and for jest (@swc/jest).
// TS → CommonJS with legacy decorators and decorator metadata (Nest needs both).
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const libs = ['config', 'cache-engine', 'eviction', 'telemetry', 'auth', 'membership', 'http-kit', 'transport', 'distributed', 'hashing', 'loops', 'node', 'hybrid-cache', 'redis-backend', 'resp', 'client'];
/** Package subpath entries besides `/testing` (`@hypercache/<lib>/<sub>` → libs/<lib>/src/<sub>/index.ts). */
const subpaths = { 'hybrid-cache': ['nest'], client: ['hybrid', 'nest'] };

/** @param {{ rewritePaths?: boolean }} [o] */
function swcOptions(o = {}) {
  const jsc = {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    keepClassNames: true,
  };
  if (o.rewritePaths) {
    jsc.baseUrl = root;
    jsc.paths = Object.fromEntries([
      ...libs.map((l) => [`@hypercache/${l}`, [`./libs/${l}/src/index.ts`]]),
      ...Object.entries(subpaths).flatMap(([l, subs]) => subs.map((s) => [`@hypercache/${l}/${s}`, [`./libs/${l}/src/${s}/index.ts`]])),
    ]);
  }
  return { swcrc: false, sourceMaps: true, module: { type: 'commonjs', strictMode: true }, jsc };
}

/**
 * jest moduleNameMapper for the lib aliases, and for their test-only entries
 * (`@hypercache/<lib>/testing` → `libs/<lib>/src/testing/index.ts`, never built into dist/).
 */
const moduleNameMapper = Object.fromEntries([
  ...libs.map((l) => [`^@hypercache/${l}$`, `<rootDir>/libs/${l}/src/index.ts`]),
  [`^@hypercache/(${libs.join('|')})/testing$`, '<rootDir>/libs/$1/src/testing/index.ts'],
  ...Object.entries(subpaths).flatMap(([l, subs]) => subs.map((s) => [`^@hypercache/${l}/${s}$`, `<rootDir>/libs/${l}/src/${s}/index.ts`])),
]);

module.exports = { swcOptions, moduleNameMapper, libs, root };
