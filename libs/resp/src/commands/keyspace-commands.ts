import { command, CommandError, intArg, keyArg, optArg, syntaxError, type CommandContext, type CommandSpec } from '../command-spec';

/** Cap on the merged key set of SCAN and DBSIZE (the client API's largest `max`). */
export const KEY_BROWSER_MAX = 50_000;
/** SCAN COUNT bounds (the client API's `limit` clamp). */
const SCAN_DEFAULT_COUNT = 10;
const SCAN_MAX_COUNT = 500;

async function countExisting(ctx: CommandContext, keys: readonly string[]): Promise<number> {
  const items = await ctx.deps.data.getMany(keys);
  return items.reduce((n, it) => (it === undefined ? n : n + 1), 0);
}

const del = (name: string) =>
  command(name, -2, 'write', {
    keys: [1, -1, 1],
    group: 'generic',
    since: name === 'del' ? '1.0.0' : '4.0.0',
    summary: 'Deletes one or more keys; counts the ones that existed (read, then delete).',
    run: async (ctx, args) => {
      const keys = [...new Set(args.slice(1).map((_, i) => keyArg(ctx, args, i + 1)))];
      const items = await ctx.deps.data.getMany(keys);
      const present = keys.filter((_, i) => items[i] !== undefined);
      const results = await ctx.deps.data.removeMany(present);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
      ctx.w.integer(present.length);
    },
  });

const exists = command('exists', -2, 'read', {
  keys: [1, -1, 1],
  group: 'generic',
  summary: 'Counts the keys that exist (a key named twice counts twice).',
  run: async (ctx, args) => ctx.w.integer(await countExisting(ctx, args.slice(1).map((_, i) => keyArg(ctx, args, i + 1)))),
});

/** EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT: read the item, rewrite it with the new expiry. */
const expire = (name: string, toAbsMs: (n: number, now: number) => number, since: string) =>
  command(name, -3, 'write', {
    keys: [1, 1, 1],
    group: 'generic',
    flags: ['write', 'fast'],
    since,
    summary: 'Sets the expiration of a key (read, then rewrite with the new expiry; not atomic across the cluster).',
    run: async (ctx, args) => {
      const key = keyArg(ctx, args, 1);
      const n = intArg(args, 2);
      let cond = '';
      for (let i = 3; i < args.length; i++) {
        const opt = optArg(args, i);
        if (!['NX', 'XX', 'GT', 'LT'].includes(opt)) throw new CommandError(`ERR Unsupported option ${args[i].toString('utf8')}`);
        if (cond !== '' && cond !== opt) throw new CommandError('ERR NX and XX, GT or LT options at the same time are not compatible');
        cond = opt;
      }
      const now = ctx.deps.clock();
      const atMs = toAbsMs(n, now);
      if (!Number.isSafeInteger(atMs)) throw new CommandError(`ERR invalid expire time in '${name}' command`);
      const it = await ctx.deps.data.get(key);
      if (it === undefined) return ctx.w.integer(0);
      const cur = it.expiresAtMs;
      const skip = (cond === 'NX' && cur !== 0) || (cond === 'XX' && cur === 0) || (cond === 'GT' && (cur === 0 || atMs <= cur)) || (cond === 'LT' && cur !== 0 && atMs >= cur);
      if (skip) return ctx.w.integer(0);
      if (atMs <= now) await ctx.deps.data.remove(key);
      else await ctx.deps.data.set(key, it.value, atMs - now);
      ctx.w.integer(1);
    },
  });

const persist = command('persist', 2, 'write', {
  keys: [1, 1, 1],
  group: 'generic',
  flags: ['write', 'fast'],
  since: '2.2.0',
  summary: 'Removes the expiration of a key (read, then rewrite without expiry).',
  run: async (ctx, args) => {
    const key = keyArg(ctx, args, 1);
    const it = await ctx.deps.data.get(key);
    if (it === undefined || it.expiresAtMs === 0) return ctx.w.integer(0);
    await ctx.deps.data.set(key, it.value, 0);
    ctx.w.integer(1);
  },
});

const ttl = (name: string, unitMs: number) =>
  command(name, 2, 'read', {
    keys: [1, 1, 1],
    group: 'generic',
    summary: `Returns the remaining time to live of a key (${unitMs === 1 ? 'ms' : 's'}; -1 no expiry, -2 missing).`,
    run: async (ctx, args) => {
      const it = await ctx.deps.data.get(keyArg(ctx, args, 1));
      if (it === undefined) return ctx.w.integer(-2);
      if (it.expiresAtMs === 0) return ctx.w.integer(-1);
      const left = it.expiresAtMs - ctx.deps.clock();
      if (left <= 0) return ctx.w.integer(-2);
      ctx.w.integer(unitMs === 1 ? left : Math.floor((left + 500) / 1000));
    },
  });

const type = command('type', 2, 'read', {
  keys: [1, 1, 1],
  group: 'generic',
  summary: "Returns 'string' for an existing key, 'none' otherwise (strings are the only type).",
  run: async (ctx, args) => ctx.w.simple((await ctx.deps.data.get(keyArg(ctx, args, 1))) === undefined ? 'none' : 'string'),
});

/** True when `p` holds a glob metacharacter of the key browser (otherwise it is a prefix there). */
const isGlob = (p: string) => /[*?[]/.test(p);

const scan = command('scan', -2, 'read', {
  group: 'generic',
  flags: ['readonly'],
  since: '2.8.0',
  summary: 'Pages through the cluster-wide key browser: the cursor is an offset into its sorted, merged key set.',
  run: async (ctx, args) => {
    const c = args[1].toString('latin1');
    if (!/^(0|[1-9][0-9]{0,15})$/.test(c)) throw new CommandError('ERR invalid cursor');
    let match: string | undefined;
    let count = SCAN_DEFAULT_COUNT;
    let onlyStrings = true;
    for (let i = 2; i < args.length; i += 2) {
      if (i + 1 >= args.length) throw syntaxError();
      const opt = optArg(args, i);
      if (opt === 'MATCH') match = args[i + 1].toString('utf8');
      else if (opt === 'COUNT') {
        count = intArg(args, i + 1);
        if (count < 1) throw syntaxError();
      } else if (opt === 'TYPE') onlyStrings = args[i + 1].toString('latin1').toLowerCase() === 'string';
      else throw syntaxError();
    }
    if (!onlyStrings) {
      ctx.w.array(2);
      ctx.w.bulk('0');
      return ctx.w.array(0);
    }
    const exact = match !== undefined && match !== '' && !isGlob(match) ? match : undefined;
    const pattern = match === undefined || match === '*' || match === '' ? undefined : match;
    const page = await ctx.deps.data.keys({ pattern, cursor: Number(c), limit: Math.min(SCAN_MAX_COUNT, count), max: KEY_BROWSER_MAX });
    const keys = exact === undefined ? page.keys : page.keys.filter((k) => k === exact);
    ctx.w.array(2);
    ctx.w.bulk(page.next_cursor === '' ? '0' : page.next_cursor);
    ctx.w.bulks(keys);
  },
});

const dbsize = command('dbsize', 1, 'read', {
  group: 'server',
  summary: `Distinct keys of the cluster-wide key browser (capped at ${KEY_BROWSER_MAX}).`,
  run: async (ctx) => {
    const page = await ctx.deps.data.keys({ pattern: undefined, cursor: 0, limit: 1, max: KEY_BROWSER_MAX });
    ctx.w.integer(page.total_matched);
  },
});

const flush = (name: string) =>
  command(name, -1, 'admin', {
    group: 'server',
    isWrite: true,
    flags: ['write'],
    summary: "Clears this node's local store (admin scope; no tombstones, other nodes keep their copies).",
    run: (ctx, args) => {
      if (args.length > 2) throw syntaxError();
      if (args.length === 2 && !['ASYNC', 'SYNC'].includes(optArg(args, 1))) throw syntaxError();
      ctx.deps.data.maintenance.clear();
      ctx.w.ok();
    },
  });

/** DEL, UNLINK, EXISTS, EXPIRE family, PERSIST, TTL, PTTL, TYPE, SCAN, DBSIZE, FLUSHDB, FLUSHALL. */
export const KEYSPACE_COMMANDS: readonly CommandSpec[] = [
  del('del'),
  del('unlink'),
  exists,
  expire('expire', (n, now) => now + n * 1000, '1.0.0'),
  expire('pexpire', (n, now) => now + n, '2.6.0'),
  expire('expireat', (n) => n * 1000, '1.2.0'),
  expire('pexpireat', (n) => n, '2.6.0'),
  persist,
  ttl('ttl', 1000),
  ttl('pttl', 1),
  type,
  scan,
  dbsize,
  flush('flushdb'),
  flush('flushall'),
];
