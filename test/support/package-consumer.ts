import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registerCleanup } from './cleanup';

/** `execFile` as a promise (the package specs run npm, node and tsc in the consumer project). */
export const exec = promisify(execFile);

/** The system Node 20 (not the pinned Node 24 running jest): the packages must work there. */
export async function systemNode(): Promise<string> {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const { stdout } = await exec(candidate, ['--version']);
      if (stdout.startsWith('v20.')) return candidate;
    } catch {
      // not there
    }
  }
  throw new Error('no Node 20 found at /usr/bin/node or /usr/local/bin/node');
}

/** A fresh application project in a temp dir (removed after the file) with `tarballs` installed by npm. */
export async function consumerProject(prefix: string, tarballs: readonly string[]): Promise<string> {
  const app = await mkdtemp(join(tmpdir(), prefix));
  registerCleanup(() => rm(app, { recursive: true, force: true }));
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  await exec('npm', ['install', ...tarballs, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, timeout: 240_000 });
  return app;
}
