import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registerCleanup } from './cleanup';
import { freePort } from './server-process';
import { until } from './until';

const exec = promisify(execFile);

/** A real `redis-server` process started by a test (no persistence), stoppable and restartable on its port. */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Whether the process is running. */
  isRunning(): boolean;
  /** Stops the process (SIGTERM, or SIGKILL with `hard`) and waits for its exit. Idempotent. */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again on the same port (data is gone: no persistence) and waits until it answers PING. */
  start(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Port (default: a free one). */
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--cluster-enabled', 'yes']`. */
  args?: string[];
}

/** Sends one inline command and resolves with the first reply line (or rejects on connection error). */
export function redisCommand(port: number, command: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('redis command timed out'));
    }, timeoutMs);
    let buf = '';
    s.on('connect', () => s.write(`${command}\r\n`));
    s.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.includes('\r\n')) {
        clearTimeout(timer);
        s.destroy();
        resolve(buf);
      }
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * Starts `redis-server` on 127.0.0.1 (a free port unless given), without persistence, in a temp
 * directory; waits until it answers PING. Stopped and cleaned up after the test file.
 */
export async function startRedis(o: StartRedisOptions = {}): Promise<RedisServer> {
  const port = o.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'hc-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const start = async (): Promise<void> => {
    if (child !== undefined) return;
    output = '';
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no', ...(o.args ?? [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    c.stdout!.on('data', (d: Buffer) => (output += d.toString('utf8')));
    c.stderr!.on('data', (d: Buffer) => (output += d.toString('utf8')));
    exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    void exited.then(() => {
      if (child === c) child = undefined;
    });
    try {
      await until(async () => (await redisCommand(port, 'PING')).startsWith('+PONG'), 10_000, 20);
    } catch (err) {
      throw new Error(`redis-server on port ${port} did not start: ${output.slice(-500)}`, { cause: err });
    }
  };

  const stop = async (hard = false): Promise<void> => {
    const c = child;
    if (c === undefined) return;
    c.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
    child = undefined;
  };

  await start();
  registerCleanup(async () => {
    await stop(true);
    await rm(dir, { recursive: true, force: true });
  });
  return { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, isRunning: () => child !== undefined, stop, start };
}

/** A Redis Cluster of real processes: `masters` masters, then their replicas. */
export interface RedisCluster {
  /** Every process; `redis-cli --cluster create` makes the first `masters` of them masters. */
  readonly nodes: RedisServer[];
  /** `{host, port}` of every master, for `new Cluster(startupNodes)`. */
  readonly startupNodes: Array<{ host: string; port: number }>;
}

/**
 * Starts `masters × (1 + replicasPerMaster)` `redis-server --cluster-enabled yes` processes, joins
 * them with `redis-cli --cluster create … --cluster-replicas <replicasPerMaster> --cluster-yes`,
 * and waits for `cluster_state:ok` on every node. With replicas, a killed master fails over to its
 * replica after `--cluster-node-timeout` (5 s).
 */
export async function startRedisCluster(masters = 3, o: { replicasPerMaster?: number } = {}): Promise<RedisCluster> {
  const replicas = o.replicasPerMaster ?? 0;
  const nodes: RedisServer[] = [];
  for (let i = 0; i < masters * (1 + replicas); i++) {
    nodes.push(await startRedis({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'] }));
  }
  const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
  await exec('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 });
  for (const n of nodes) {
    await until(async () => {
      const info = await exec('redis-cli', ['-p', String(n.port), 'cluster', 'info']);
      return info.stdout.includes('cluster_state:ok');
    }, 30_000, 100);
  }
  return { nodes, startupNodes: nodes.map((n) => ({ host: n.host, port: n.port })) };
}
