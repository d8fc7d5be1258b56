import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where {@link readCgroupMemoryLimit} looks; tests point both at fixture files. */
export interface CgroupPaths {
  /** The cgroup filesystem mount, default `/sys/fs/cgroup`. */
  readonly root?: string;
  /** This process's cgroup membership file, default `/proc/self/cgroup`. */
  readonly procSelfCgroup?: string;
}

/** A memory limit found in the cgroup filesystem. */
export interface CgroupMemoryLimit {
  readonly bytes: number;
  /** 2 = unified hierarchy (`memory.max`), 1 = legacy (`memory.limit_in_bytes`). */
  readonly version: 1 | 2;
  /** The file the limit was read from. */
  readonly file: string;
}

/**
 * Limits at or above this are "no limit": cgroup v1 writes the page-rounded `LONG_MAX`
 * (9223372036854771712) when unlimited.
 */
const UNLIMITED_FROM = 2 ** 60;

/**
 * The memory limit of this process's container, or undefined when there is none.
 *
 * cgroup v2 (`<root>/cgroup.controllers` exists): the smallest numeric `memory.max` from this
 * process's cgroup (the `0::<path>` line of `/proc/self/cgroup`) up to the root (`max` = no limit).
 * cgroup v1 (`<root>/memory/` exists): the smallest `memory.limit_in_bytes` from the `memory`
 * controller's path up to `<root>/memory`. Inside a container the path often does not exist under
 * the mount (the container's own cgroup is mounted at the root): then only the root file counts.
 * Unreadable files are skipped; nothing readable → undefined.
 */
export function readCgroupMemoryLimit(paths: CgroupPaths = {}): CgroupMemoryLimit | undefined {
  const root = paths.root ?? '/sys/fs/cgroup';
  const membership = readText(paths.procSelfCgroup ?? '/proc/self/cgroup') ?? '';
  if (readText(join(root, 'cgroup.controllers')) !== undefined) {
    return smallest(root, cgroupPath(membership, (controllers, hierarchy) => hierarchy === '0' && controllers === ''), 'memory.max', 2);
  }
  const v1 = join(root, 'memory');
  return smallest(v1, cgroupPath(membership, (controllers) => controllers.split(',').includes('memory')), 'memory.limit_in_bytes', 1);
}

/** The path of the first `/proc/self/cgroup` line (`hierarchy:controllers:path`) that `match`es, default `/`. */
function cgroupPath(membership: string, match: (controllers: string, hierarchy: string) => boolean): string {
  for (const line of membership.split('\n')) {
    const [hierarchy, controllers, ...rest] = line.split(':');
    if (rest.length > 0 && match(controllers, hierarchy)) return rest.join(':');
  }
  return '/';
}

/** Smallest limit in `<base><dir>/<file>` for `dir` = the cgroup path and each ancestor up to `/`. */
function smallest(base: string, path: string, file: string, version: 1 | 2): CgroupMemoryLimit | undefined {
  let best: CgroupMemoryLimit | undefined;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  for (let depth = parts.length; depth >= 0; depth--) {
    const candidate = join(base, ...parts.slice(0, depth), file);
    const text = readText(candidate)?.trim();
    if (text === undefined || !/^\d+$/.test(text)) continue; // absent, or `max`
    const bytes = Number(text);
    if (bytes >= UNLIMITED_FROM) continue;
    if (best === undefined || bytes < best.bytes) best = { bytes, version, file: candidate };
  }
  return best;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
