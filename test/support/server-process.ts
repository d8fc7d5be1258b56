import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { registerCleanup } from './cleanup';

export { until } from './until';

/** Root of the repository; the built entry is `dist/apps/server/src/main.js` (package.json bin). */
export const ROOT = join(__dirname, '../..');
export const ENTRY = join(ROOT, 'dist/apps/server/src/main.js');

/** A free TCP port on 127.0.0.1 (bound and released; fine for tests on one machine). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A spawned `hypercache-server` process with its captured output. */
export interface ServerProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
}

/** Test-only entry with the peer isolation switch on an IPC channel (fault-node.cjs). */
export const FAULT_ENTRY = join(ROOT, 'test/support/fault-node.cjs');

/**
 * Spawns the built server with the given env (on top of a minimal env); killed after the file.
 * `entry` defaults to {@link ENTRY} (e.g. `dist/apps/server/src/statefulset-main.js` for k8s);
 * {@link FAULT_ENTRY} gets an IPC channel.
 */
export function spawnServer(env: Record<string, string>, entry = ENTRY): ServerProcess {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', HYPERCACHE_LOG_LEVEL: 'info', ...env },
    stdio: entry === FAULT_ENTRY ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => chunks.push(d));
  child.stderr!.on('data', (d: Buffer) => chunks.push(d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  registerCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exited, output: () => Buffer.concat(chunks).toString('utf8') };
}
