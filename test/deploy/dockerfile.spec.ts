import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { http } from '../support/http';
import { freePort, ROOT, spawnServer, until } from '../support/server-process';

/** One Dockerfile instruction: keyword and its (continuation-joined) arguments. */
interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Parses a Dockerfile into instructions (comments dropped, `\` continuations joined). */
function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

interface Stage {
  readonly name: string;
  readonly image: string;
  readonly body: Instruction[];
}

function stagesOf(ins: Instruction[]): Stage[] {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const i of ins) {
    if (i.op === 'ARG' && stages.length === 0) {
      const [k, v = ''] = i.args.split('=');
      globalArgs.set(k, v);
    } else if (i.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args)!;
      const image = m[1].replace(/\$\{(\w+)\}/g, (_, k: string) => globalArgs.get(k) ?? '');
      stages.push({ name: m[2] ?? String(stages.length), image, body: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].body.push(i);
    }
  }
  return stages;
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8'));
const stages = stagesOf(dockerfile);
const final = stages[stages.length - 1];
const only = (op: string) => {
  const found = final.body.filter((i) => i.op === op);
  expect(found).toHaveLength(1);
  return found[0].args;
};
const healthcheckArgv = (): string[] => {
  const hc = only('HEALTHCHECK');
  return JSON.parse(hc.slice(hc.indexOf('CMD ') + 4));
};

describe('deploy/Dockerfile', () => {
  it('is a multi-stage build on the official Node 24 image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.image).toMatch(/^node:24(-[a-z0-9.-]+)?$/);
  });

  it('runs as a numeric non-root user in the final stage (runAsNonRoot can verify it)', () => {
    const user = only('USER');
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(user.split(':').map(Number).every((id) => id !== 0)).toBe(true);
    expect(user).toBe('65532:65532');
    const order = final.body.map((i) => i.op);
    expect(order.indexOf('USER')).toBeLessThan(order.indexOf('CMD'));
  });

  it('copies no dev dependencies and no sources into the final stage', () => {
    const copies = final.body.filter((i) => i.op === 'COPY' || i.op === 'ADD');
    expect(final.body.some((i) => i.op === 'RUN' || i.op === 'ADD')).toBe(false);
    for (const c of copies) {
      const m = /^(?:--from=(\S+)\s+)?(\S+)\s+(\S+)$/.exec(c.args)!;
      expect(m).not.toBeNull();
      const [, from, src] = m;
      if (src.includes('node_modules')) {
        // node_modules only from a stage that installed production dependencies only.
        const stage = stages.find((s) => s.name === from)!;
        const installs = stage.body.filter((i) => i.op === 'RUN' && /npm (ci|install)/.test(i.args));
        expect(installs).toHaveLength(1);
        expect(installs[0].args).toContain('--omit=dev');
      } else if (from === undefined) {
        expect(src).toBe('package.json'); // metadata only, from the context
      } else {
        expect(src).toMatch(/\/dist$/);
      }
    }
    expect(copies.map((c) => c.args).join(' ')).not.toMatch(/\s\.\s|apps|libs|scripts/);
  });

  it('every production dependency the built server requires is a `dependencies` entry, not a devDependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const required = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir)) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.js')) for (const m of readFileSync(p, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) required.add(m[1]);
      }
    };
    walk(join(ROOT, 'dist'));
    const packages = [...required]
      .filter((r) => !r.startsWith('node:') && !builtinModules.includes(r))
      .map((r) => (r.startsWith('@') ? r.split('/').slice(0, 2).join('/') : r.split('/')[0]));
    expect(packages.length).toBeGreaterThan(5);
    for (const name of packages) expect({ name, inDependencies: name in pkg.dependencies }).toEqual({ name, inDependencies: true });
  });

  it('stops with SIGTERM, exposes 8080 8081 7946 and runs node directly (exec form, so node gets the signal)', () => {
    expect(only('STOPSIGNAL')).toBe('SIGTERM');
    expect(only('EXPOSE').split(/\s+/).sort()).toEqual(['7946', '8080', '8081']);
    expect(JSON.parse(only('ENTRYPOINT'))).toEqual(['node']);
    const [entry] = JSON.parse(only('CMD'));
    expect(entry).toBe('dist/apps/server/src/main.js');
    expect(existsSync(join(ROOT, entry))).toBe(true);
    expect(existsSync(join(ROOT, 'dist/apps/server/src/statefulset-main.js'))).toBe(true);
  });

  it('has a HEALTHCHECK that needs no curl or wget', () => {
    const argv = healthcheckArgv();
    expect(argv[0]).toBe('node');
    expect(only('HEALTHCHECK')).not.toMatch(/curl|wget|\bsh\b/);
  });

  it('the HEALTHCHECK command passes against a live server and fails against a dead port', async () => {
    const [, flag, script] = healthcheckArgv();
    const ports = { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
    spawnServer({
      HYPERCACHE_NODE_ID: 'hc-1',
      HYPERCACHE_API_ADDR: `127.0.0.1:${ports.api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${ports.mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${ports.dist}`,
      HYPERCACHE_AUTH_TOKEN: 'secret',
    });
    await until(async () => (await http('GET', `http://127.0.0.1:${ports.mgmt}/health`)).status === 200, 20_000);
    const run = (mgmtAddr: string) =>
      promisify(execFile)(process.execPath, [flag, script], { env: { PATH: process.env.PATH, HYPERCACHE_MGMT_ADDR: mgmtAddr } }).then(
        () => 0,
        (e: { code: number }) => e.code,
      );
    // `:port` (the image's default form) and an explicit host both work.
    await expect(run(`:${ports.mgmt}`)).resolves.toBe(0);
    await expect(run(`127.0.0.1:${ports.mgmt}`)).resolves.toBe(0);
    await expect(run(`:${await freePort()}`)).resolves.toBe(1);
  });

  it('.dockerignore keeps node_modules, dist and .git out of the context, but not what the build copies', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
    const copied = stages.flatMap((s) => s.body.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(/\s+/).slice(0, -1)));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'apps', 'libs', 'scripts']));
    for (const c of copied) expect(ignored).not.toContain(c);
  });
});
