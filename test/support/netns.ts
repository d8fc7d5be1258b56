import { execFileSync, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * Linux network namespaces for the chaos test bed (issue 21): each node gets its own namespace
 * with one veth end (`eth0`, address `10.231.<subnet>.<i>/24`); the other ends hang on a bridge in
 * the root namespace that holds `10.231.<subnet>.254/24`, so the test process (the clients) can
 * reach every node and nothing else can: the bridge has no uplink and no route leaves the
 * machine. Faults are nftables rules inside the namespaces, applied by the kernel.
 *
 * Names carry the creating process id (`hcc<pid>…`), so a later run removes whatever a crashed
 * run left behind ({@link removeLeftovers}); {@link NetnsBed.destroy} always removes this run's.
 */
export interface NetnsBed {
  /** Namespace name of node `i` (1-based). */
  ns(i: number): string;
  /** Address of node `i` inside the bed. */
  ip(i: number): string;
  /** The root namespace's address on the bridge (where the clients' packets come from). */
  readonly hostIp: string;
  readonly size: number;
  /** Runs a command inside node `i`'s namespace (synchronously; throws on failure). */
  exec(i: number, cmd: string, args: string[], input?: string): string;
  /**
   * Replaces node `i`'s fault table (one atomic nft transaction). Asynchronous: the test process
   * (whose clients time their operations) is not blocked while `nft` runs.
   */
  setFaults(i: number, f: NodeFaults): Promise<void>;
  /** Removes every fault rule from every node (all namespaces at once, without blocking). */
  healAll(): Promise<void>;
  /** Deletes the namespaces, veths and the bridge (idempotent). */
  destroy(): void;
}

/** Kernel-level faults of one node's namespace. `peerPort` traffic only for `lossPercent`. */
export interface NodeFaults {
  /** Drop packets from these node indexes (input). */
  dropFrom?: readonly number[];
  /** Drop packets to these node indexes (output). */
  dropTo?: readonly number[];
  /** Drop this share (0–100) of packets of the peer port, in and out. */
  lossPercent?: number;
}

const PREFIX = 'hcc';

function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Runs shell commands in one long-lived `sh` started when the bed is built, so applying a fault
 * forks nothing from the test process: forking the (large) jest process for each `nft` stalled
 * its event loop, and with it the chaos clients' timing, by 0.4–0.9 s at every heal on a loaded
 * machine. Commands run one at a time, in order.
 */
class ShellRunner {
  readonly #sh: ChildProcessWithoutNullStreams;
  #out = '';
  #seq = 0;
  readonly #waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  constructor() {
    this.#sh = spawn('sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#sh.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.#out += d;
      for (let m = /__hcc_done (\d+) (\d+)\n/.exec(this.#out); m !== null; m = /__hcc_done (\d+) (\d+)\n/.exec(this.#out)) {
        this.#out = this.#out.slice(m.index + m[0].length);
        const w = this.#waiting.get(Number(m[1]));
        this.#waiting.delete(Number(m[1]));
        if (m[2] === '0') w?.resolve();
        else w?.reject(new Error(`shell command ${m[1]} exited ${m[2]}`));
      }
    });
    this.#sh.stderr.resume();
    this.#sh.unref();
  }

  /** Runs `cmd` with `input` on its stdin (a here-document). */
  run(cmd: string, input: string): Promise<void> {
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#sh.stdin.write(`${cmd} <<'__HCC_EOF'\n${input}\n__HCC_EOF\necho "__hcc_done ${id} $?"\n`);
    });
  }

  close(): void {
    this.#sh.stdin.end();
  }
}

function tryRun(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/**
 * Whether this process may create namespaces, bridges and nftables rules (root with `ip` and
 * `nft`). Probes by creating and deleting a throw-away namespace.
 */
export function namespacesAvailable(): { ok: boolean; why?: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'not linux' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { ok: false, why: 'not root' };
  if (!tryRun('nft', ['--version'])) return { ok: false, why: 'nft (nftables) not installed' };
  const probe = `${PREFIX}${process.pid}probe`;
  if (!tryRun('ip', ['netns', 'add', probe])) return { ok: false, why: '`ip netns add` failed' };
  tryRun('ip', ['netns', 'del', probe]);
  return { ok: true };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes namespaces and links named `hcc<pid>…` whose process is gone (a crashed earlier run). */
export function removeLeftovers(): void {
  const owner = (name: string) => Number(/^hcc(\d+)/.exec(name)?.[1] ?? Number.NaN);
  const nsList = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of nsList.split('\n')) {
    const name = line.split(' ')[0];
    if (name?.startsWith(PREFIX) && Number.isFinite(owner(name)) && !pidAlive(owner(name))) tryRun('ip', ['netns', 'del', name]);
  }
  const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '';
  for (const m of links.matchAll(/^\d+: (hcc[^:@\s]+)/gm)) {
    const name = m[1]!;
    if (Number.isFinite(owner(name)) && !pidAlive(owner(name))) tryRun('ip', ['link', 'del', name]);
  }
}

/** A /24 under 10.231.0.0/16 not configured on any interface of the root namespace. */
function freeSubnet(): number {
  const addrs = spawnSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' }).stdout ?? '';
  for (let tries = 0; tries < 500; tries++) {
    const s = 1 + Math.floor(Math.random() * 250);
    if (!addrs.includes(`10.231.${s}.`)) return s;
  }
  throw new Error('no free 10.231.x.0/24 subnet');
}

/**
 * Creates `n` namespaces on one bridge. `peerPort` is the port the nodes talk to each other on
 * (the fault rules' loss target). On any failure the partial bed is removed before rethrowing.
 */
export function createNetnsBed(n: number, o: { peerPort: number; tag?: string }): NetnsBed {
  removeLeftovers();
  const tag = `${PREFIX}${process.pid}${o.tag ?? ''}`;
  const subnet = freeSubnet();
  const bridge = `${tag}b`;
  const nsName = (i: number) => `${tag}n${i}`;
  const ipOf = (i: number) => `10.231.${subnet}.${i}`;
  let destroyed = false;
  const shell = new ShellRunner();
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    shell.close();
    for (let i = 1; i <= n; i++) tryRun('ip', ['netns', 'del', nsName(i)]);
    for (let i = 1; i <= n; i++) tryRun('ip', ['link', 'del', `${tag}v${i}`]);
    tryRun('ip', ['link', 'del', bridge]);
  };
  try {
    run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    run('ip', ['addr', 'add', `${ipOf(254)}/24`, 'dev', bridge]);
    run('ip', ['link', 'set', bridge, 'up']);
    for (let i = 1; i <= n; i++) {
      const ns = nsName(i);
      const host = `${tag}v${i}`;
      const inner = `${tag}p${i}`;
      run('ip', ['netns', 'add', ns]);
      run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', inner]);
      run('ip', ['link', 'set', inner, 'netns', ns]);
      run('ip', ['link', 'set', host, 'master', bridge]);
      run('ip', ['link', 'set', host, 'up']);
      const inNs = (...args: string[]) => run('ip', ['netns', 'exec', ns, ...args]);
      inNs('ip', 'link', 'set', 'lo', 'up');
      inNs('ip', 'link', 'set', inner, 'name', 'eth0');
      inNs('ip', 'addr', 'add', `${ipOf(i)}/24`, 'dev', 'eth0');
      inNs('ip', 'link', 'set', 'eth0', 'up');
    }
  } catch (e) {
    destroy();
    throw e;
  }
  const bed: NetnsBed = {
    ns: nsName,
    ip: ipOf,
    hostIp: ipOf(254),
    size: n,
    exec: (i, cmd, args, input) => run('ip', ['netns', 'exec', nsName(i), cmd, ...args], input),
    setFaults: async (i, f) => {
      const lines: string[] = [];
      for (const j of f.dropFrom ?? []) lines.push(`add rule inet hcfault in ip saddr ${ipOf(j)} drop`);
      for (const j of f.dropTo ?? []) lines.push(`add rule inet hcfault out ip daddr ${ipOf(j)} drop`);
      const loss = f.lossPercent ?? 0;
      if (loss > 0) {
        for (const dir of ['dport', 'sport']) {
          lines.push(`add rule inet hcfault in ip saddr != ${ipOf(254)} tcp ${dir} ${o.peerPort} numgen random mod 100 < ${loss} drop`);
          lines.push(`add rule inet hcfault out ip daddr != ${ipOf(254)} tcp ${dir} ${o.peerPort} numgen random mod 100 < ${loss} drop`);
        }
      }
      // One atomic nft transaction: the old table goes, the new one comes, no window without rules.
      const script = [
        'table inet hcfault',
        'delete table inet hcfault',
        'table inet hcfault {',
        '  chain in { type filter hook input priority 0; policy accept; }',
        '  chain out { type filter hook output priority 0; policy accept; }',
        '}',
        ...lines,
        '',
      ].join('\n');
      await shell.run(`ip netns exec ${nsName(i)} nft -f -`, script);
    },
    healAll: async () => {
      await Promise.all(Array.from({ length: n }, (_, i) => bed.setFaults(i + 1, {})));
    },
    destroy,
  };
  // Node exit paths that skip jest's afterAll (a crash, ctrl-c) still remove the bed.
  process.once('exit', destroy);
  return bed;
}
