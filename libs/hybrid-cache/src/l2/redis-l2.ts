import { createHash } from 'node:crypto';
import { InvalidOptionError } from '../errors';
import type { L2Adapter } from './l2-adapter';
import { isCluster, type RedisLikeClient } from './redis-client';

export type { RedisLikeClient } from './redis-client';

/** Options of {@link RedisL2}. */
export interface RedisL2Options {
  /** An ioredis `Redis` or `Cluster` client, owned by the application (not closed by the adapter). */
  client: RedisLikeClient;
  /** Prepended to every Redis key (§11 layout); `clear` refuses to run when the whole prefix is empty. Default `'hc:'`. */
  keyPrefix?: string;
}

/** Member of a key's tag set holding the SHA-1 of the value written with those tags. */
const FINGERPRINT = '#sha1:';

// §11 reference layout: data `<p><key>`, per-key tag set `<p>tags:<key>`, per-tag member set `<p>tag:<tag>`.
const SET_SCRIPT = `
local old = redis.call('SMEMBERS', KEYS[2])
for _, t in ipairs(old) do redis.call('SREM', ARGV[3] .. 'tag:' .. t, KEYS[1]) end
redis.call('DEL', KEYS[2])
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
for i = 4, #ARGV do
  local ts = ARGV[3] .. 'tag:' .. ARGV[i]
  redis.call('SADD', ts, KEYS[1])
  redis.call('SADD', KEYS[2], ARGV[i])
  if ttl > 0 and redis.call('PTTL', ts) < 2 * ttl then redis.call('PEXPIRE', ts, 2 * ttl) end
end
redis.call('SADD', KEYS[2], '${FINGERPRINT}' .. redis.sha1hex(ARGV[1]))
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1`;

// A member counts only while the key's tag set lists the tag *and* the fingerprint of the value
// now stored: an untagged re-set (a plain SET) leaves stale tag sets behind that must not match.
const DELETE_BY_TAG_SCRIPT = `
local members = redis.call('SMEMBERS', KEYS[1])
local n = 0
for _, k in ipairs(members) do
  local tl = ARGV[1] .. 'tags:' .. string.sub(k, #ARGV[1] + 1)
  local v = redis.call('GET', k)
  if v and redis.call('SISMEMBER', tl, ARGV[2]) == 1 and redis.call('SISMEMBER', tl, '${FINGERPRINT}' .. redis.sha1hex(v)) == 1 then
    for _, t in ipairs(redis.call('SMEMBERS', tl)) do
      if t ~= ARGV[2] then redis.call('SREM', ARGV[1] .. 'tag:' .. t, k) end
    end
    redis.call('DEL', k, tl)
    n = n + 1
  end
end
redis.call('DEL', KEYS[1])
return n`;

const SCAN_BATCH = 100;

/**
 * Redis L2 adapter (§11) over ioredis, single node or Cluster. An untagged `set` is one plain SET
 * (a key's tag set also holds the SHA-1 of the value written with it, so a stale one is ignored); on a single node a tagged `set` and `deleteByTag` are one
 * atomic script each (the reference layout); on a Cluster, where keys of one
 * script must share a slot, the same steps run as separate commands. `clear` is SCAN + DEL in
 * batches of 100 under the prefix (on every master of a Cluster).
 */
export class RedisL2 implements L2Adapter {
  readonly #client: RedisLikeClient;
  readonly #prefix: string;
  readonly #cluster: boolean;
  readonly #shas = new Map<string, string>();

  constructor(o: RedisL2Options) {
    if (o?.client === undefined) throw new InvalidOptionError('client', o?.client, 'must be an ioredis client');
    this.#client = o.client;
    this.#prefix = o.keyPrefix ?? 'hc:';
    if (typeof this.#prefix !== 'string') throw new InvalidOptionError('keyPrefix', this.#prefix, 'must be a string');
    this.#cluster = isCluster(o.client);
  }

  async get(key: string): Promise<Uint8Array | null> {
    return this.#client.getBuffer(this.#prefix + key);
  }

  async getMany(keys: readonly string[]): Promise<Array<Uint8Array | null>> {
    if (keys.length === 0) return [];
    if (this.#cluster) return Promise.all(keys.map((k) => this.#client.getBuffer(this.#prefix + k)));
    return this.#client.mgetBuffer(...keys.map((k) => this.#prefix + k));
  }

  async set(key: string, value: Uint8Array, ttlMs: number, tags: readonly string[]): Promise<void> {
    const p = this.#prefix;
    const data = p + key;
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (tags.length === 0) {
      // The common untagged write is one plain SET: a tag set left from an earlier tagged write
      // no longer matches the value's fingerprint, so deleteByTag ignores it.
      const ttl = Math.ceil(ttlMs);
      await (ttl > 0 ? this.#client.set(data, bytes, 'PX', ttl) : this.#client.set(data, bytes));
      return;
    }
    if (!this.#cluster) {
      await this.#script(SET_SCRIPT, [data, `${p}tags:${key}`], [bytes, Math.max(0, Math.ceil(ttlMs)), p, ...tags]);
      return;
    }
    const c = this.#client;
    const tagList = `${p}tags:${key}`;
    const old = await c.smembers(tagList);
    await Promise.all(old.map((t) => c.srem(`${p}tag:${t}`, data)));
    if (old.length > 0) await c.del(tagList);
    if (ttlMs > 0) await c.set(data, bytes, 'PX', Math.ceil(ttlMs));
    else await c.set(data, bytes);
    if (tags.length === 0) return;
    await c.sadd(tagList, ...tags, FINGERPRINT + createHash('sha1').update(bytes).digest('hex'));
    if (ttlMs > 0) await c.pexpire(tagList, Math.ceil(ttlMs));
    await Promise.all(
      tags.map(async (t) => {
        const ts = `${p}tag:${t}`;
        await c.sadd(ts, data);
        if (ttlMs > 0 && (await c.pttl(ts)) < 2 * ttlMs) await c.pexpire(ts, Math.ceil(2 * ttlMs));
      }),
    );
  }

  async delete(key: string): Promise<void> {
    const p = this.#prefix;
    if (this.#cluster) {
      await Promise.all([this.#client.del(p + key), this.#client.del(`${p}tags:${key}`)]);
      return;
    }
    await this.#client.del(p + key, `${p}tags:${key}`);
  }

  async deleteByTag(tag: string): Promise<void> {
    const p = this.#prefix;
    if (!this.#cluster) {
      await this.#script(DELETE_BY_TAG_SCRIPT, [`${p}tag:${tag}`], [p, tag]);
      return;
    }
    const c = this.#client;
    const members = await c.smembers(`${p}tag:${tag}`);
    await Promise.all(
      members.map(async (k) => {
        const tl = `${p}tags:${k.slice(p.length)}`;
        const [others, value] = await Promise.all([c.smembers(tl), c.getBuffer(k)]);
        if (value === null || !others.includes(tag) || !others.includes(FINGERPRINT + createHash('sha1').update(value).digest('hex'))) return;
        await Promise.all(others.filter((t) => t !== tag && !t.startsWith(FINGERPRINT)).map((t) => c.srem(`${p}tag:${t}`, k)));
        await c.del(k);
        await c.del(tl);
      }),
    );
    await c.del(`${p}tag:${tag}`);
  }

  async clear(prefix: string): Promise<void> {
    const full = this.#prefix + prefix;
    if (full.length === 0) throw new InvalidOptionError('keyPrefix', full, 'must be non-empty for clear (it would flush every key)');
    const pattern = `${full.replace(/[*?[\]\\]/g, '\\$&')}*`;
    const nodes = this.#cluster ? this.#client.nodes!('master') : [this.#client];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
        cursor = next;
        if (keys.length === 0) continue;
        if (this.#cluster) await Promise.all(keys.map((k) => node.del(k)));
        else await node.del(...keys);
      } while (cursor !== '0');
    }
  }

  async ping(): Promise<void> {
    await this.#client.ping();
  }

  /** EVALSHA, loading the script with EVAL once on `NOSCRIPT` (after a restart too). */
  async #script(script: string, keys: string[], args: Array<string | number | Buffer>): Promise<unknown> {
    let sha = this.#shas.get(script);
    if (sha === undefined) this.#shas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
    try {
      return await this.#client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return this.#client.eval(script, keys.length, ...keys, ...args);
    }
  }
}
