import { join } from 'node:path';
import { readCgroupMemoryLimit } from './cgroup-memory';
import { defaultMaxMemoryBytes, loadServerConfig } from './server-config';

const FIXTURES = join(__dirname, 'testing', 'cgroup-fixtures');
const at = (fixture: string) => ({ root: join(FIXTURES, fixture), procSelfCgroup: join(FIXTURES, fixture, 'self-cgroup') });
const MiB = 1024 * 1024;

describe(readCgroupMemoryLimit.name, () => {
  it.each([
    ['v2-container', { bytes: 512 * MiB, version: 2 }, 'memory.max'],
    ['v2-nested', { bytes: 256 * MiB, version: 2 }, 'kubepods/pod1/memory.max'],
    ['v1-container', { bytes: 768 * MiB, version: 1 }, 'memory/memory.limit_in_bytes'],
    ['v1-nested', { bytes: 300 * MiB, version: 1 }, 'memory/docker/abc/memory.limit_in_bytes'],
  ])('%s: reads the smallest limit on the path of this process cgroup', (fixture, expected, file) => {
    expect(readCgroupMemoryLimit(at(fixture))).toEqual({ ...expected, file: join(FIXTURES, fixture, file) });
  });

  it.each(['v2-unlimited', 'v1-unlimited', 'none'])('%s: no limit (max, LONG_MAX or no memory controller) → undefined', (fixture) => {
    expect(readCgroupMemoryLimit(at(fixture))).toBeUndefined();
  });

  it('a missing cgroup filesystem → undefined', () => {
    expect(readCgroupMemoryLimit({ root: join(FIXTURES, 'does-not-exist'), procSelfCgroup: join(FIXTURES, 'nope') })).toBeUndefined();
  });
});

describe('HYPERCACHE_MAX_MEMORY', () => {
  const load = (env: Record<string, string>, fixture = 'none') => loadServerConfig(env, { cgroup: at(fixture) });

  it.each([
    ['64MiB', 64 * MiB],
    ['64Mi', 64 * MiB],
    ['1GiB', 1024 * MiB],
    ['1.5GiB', 1536 * MiB],
    ['512KiB', 512 * 1024],
    ['1048576', MiB],
    ['100B', 100],
    [' 2 gib ', 2048 * MiB],
    ['0', 0],
  ])('parses %j as %d bytes (source env)', (raw, bytes) => {
    const c = load({ HYPERCACHE_MAX_MEMORY: raw }, 'v2-container');
    expect(c.engine.maxCacheSizeBytes).toBe(bytes);
    expect(c.memory.maxMemorySource).toBe('env');
  });

  it.each(['64MB', '1GB', 'lots', '-1MiB', '1e9', 'MiB'])('rejects %j naming the variable', (raw) => {
    expect(() => load({ HYPERCACHE_MAX_MEMORY: raw })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', variable: 'HYPERCACHE_MAX_MEMORY' }));
  });

  it.each([
    [256, 32], // an eighth: the runtime alone nearly fills such a pod
    [512, 192], // limit − 320 MiB reserve
    [640, 320], // both rules agree
    [768, 384], // half
    [2048, 1024],
  ])('default for a %d MiB container: %d MiB (half, at most limit − 320 MiB, at least an eighth)', (limitMiB, expectedMiB) => {
    expect(defaultMaxMemoryBytes(limitMiB * MiB)).toBe(expectedMiB * MiB);
  });

  it('unset in a container: derived from its cgroup limit', () => {
    expect(load({}, 'v2-container')).toMatchObject({ engine: { maxCacheSizeBytes: 192 * MiB }, memory: { maxMemorySource: 'cgroup', containerLimitBytes: 512 * MiB } });
    expect(load({}, 'v1-container')).toMatchObject({ engine: { maxCacheSizeBytes: 384 * MiB }, memory: { maxMemorySource: 'cgroup', containerLimitBytes: 768 * MiB } });
  });

  it('unset without a container limit: no byte limit (only HYPERCACHE_CAPACITY bounds the node)', () => {
    expect(load({}, 'v2-unlimited')).toMatchObject({ engine: { maxCacheSizeBytes: 0 }, memory: { maxMemorySource: 'none', containerLimitBytes: 0 } });
  });

  it('set explicitly, it wins over the container limit (0 = no byte limit)', () => {
    expect(load({ HYPERCACHE_MAX_MEMORY: '0' }, 'v2-container')).toMatchObject({ engine: { maxCacheSizeBytes: 0 }, memory: { maxMemorySource: 'env', containerLimitBytes: 512 * MiB } });
  });
});
