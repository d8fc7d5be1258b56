import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readVersion(): string {
  // apps/server/src (sources) and dist/apps/server/src (build) both sit below the package root.
  for (const up of ['../../..', '../../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hypercache-ts' && pkg.version) return pkg.version;
    } catch {
      // not this level
    }
  }
  return '0.0.0';
}

/** The server's version, from package.json. */
export const SERVER_VERSION = readVersion();
