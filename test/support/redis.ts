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
  /** Serve TLS only (`--tls-port`, no plaintext port) with this server certificate; clients need no certificate. */
  tls?: { certFile: string; keyFile: string; caFile: string };
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
    const listen = o.tls === undefined
      ? ['--port', String(port)]
      : ['--port', '0', '--tls-port', String(port), '--tls-cert-file', o.tls.certFile, '--tls-key-file', o.tls.keyFile, '--tls-ca-cert-file', o.tls.caFile, '--tls-auth-clients', 'no'];
    const c = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no', ...(o.args ?? [])], {
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
      // A server with `--requirepass` answers -NOAUTH: it is up too. 30 s: six servers starting at once on a loaded 2-core machine.
      if (o.tls !== undefined) await until(() => output.includes('Ready to accept connections'), 30_000, 20);
      else await until(async () => /^(\+PONG|-NOAUTH)/.test(await redisCommand(port, 'PING')), 30_000, 20);
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

  try {
    await start();
  } catch (err) {
    await stop(true);
    throw err;
  }
  registerCleanup(async () => {
    await stop(true);
    await rm(dir, { recursive: true, force: true });
  });
  return { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, isRunning: () => child !== undefined, stop, start };
}

/** A Redis Cluster of real processes. */
export interface RedisCluster {
  /** Every process (masters first as created; roles change on failover: ask {@link clusterRole}). */
  readonly nodes: RedisServer[];
  /** `{host, port}` of every node, for `new Cluster(startupNodes)`. */
  readonly startupNodes: Array<{ host: string; port: number }>;
}

/** Options of {@link startRedisCluster}. */
export interface StartRedisClusterOptions {
  /** Replicas per master (default 0). */
  replicas?: number;
  /** `cluster-node-timeout` in ms (default 5000): how long before a lost master is failed over. */
  nodeTimeoutMs?: number;
}

/**
 * Starts `masters × (1 + replicas)` `redis-server --cluster-enabled yes` processes, joins them with
 * `redis-cli --cluster create … --cluster-replicas <replicas> --cluster-yes`, and waits until every
 * node reports `cluster_state:ok` and every replica is attached.
 */
export async function startRedisCluster(masters = 3, o: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const replicas = o.replicas ?? 0;
  const nodeTimeout = String(o.nodeTimeoutMs ?? 5000);
  const nodes: RedisServer[] = [];
  for (let i = 0; i < masters * (1 + replicas); i++) {
    nodes.push(await startRedis({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', nodeTimeout] }));
  }
  const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
  await exec('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 60_000 });
  for (const n of nodes) {
    await until(async () => {
      const info = await exec('redis-cli', ['-p', String(n.port), 'cluster', 'info']);
      return info.stdout.includes('cluster_state:ok');
    }, 60_000, 100);
  }
  if (replicas > 0) {
    await until(async () => (await Promise.all(nodes.map((n) => clusterRole(n.port)))).filter((r) => r === 'slave').length === masters * replicas, 60_000, 100);
  }
  return { nodes, startupNodes: nodes.map((n) => ({ host: n.host, port: n.port })) };
}

/** `master` or `slave` as the node on `port` reports itself (`ROLE`). */
export async function clusterRole(port: number): Promise<'master' | 'slave'> {
  const out = await exec('redis-cli', ['-p', String(port), 'role'], { timeout: 5_000 });
  const role = out.stdout.split('\n')[0].trim();
  if (role !== 'master' && role !== 'slave') throw new Error(`unexpected role ${JSON.stringify(role)} on port ${port}`);
  return role;
}

/** Whether every running node of `cluster` reports `cluster_state:ok`. */
export async function clusterStateOk(cluster: RedisCluster): Promise<boolean> {
  for (const n of cluster.nodes.filter((x) => x.isRunning())) {
    const info = await exec('redis-cli', ['-p', String(n.port), 'cluster', 'info'], { timeout: 5_000 });
    if (!info.stdout.includes('cluster_state:ok')) return false;
  }
  return true;
}

/** Runs `redis-cli -p <port> <args…>` and resolves with its stdout. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  return (await exec('redis-cli', ['-p', String(port), ...args], { timeout: 10_000 })).stdout;
}
