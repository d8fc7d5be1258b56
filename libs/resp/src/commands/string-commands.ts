import type { NodeItem } from '@hypercache/node';
import { command, CommandError, intArg, keyArg, optArg, syntaxError, type CommandContext, type CommandSpec } from '../command-spec';

/**
 * A value to store: a copy of the argument (the argument is a slice of a socket read buffer that
 * would otherwise stay alive as long as the item).
 */
const own = (b: Buffer): Buffer => Buffer.from(b);

/** Expiry options of SET / GETEX, resolved to an absolute expiry (epoch ms). */
interface Expiry {
  /** Absolute expiry, epoch ms; 0 = none given. */
  atMs: number;
  keepTtl: boolean;
  persist: boolean;
}

const invalidExpire = (cmd: string) => new CommandError(`ERR invalid expire time in '${cmd}' command`);

/** Parses EX / PX / EXAT / PXAT at `args[i]` (value at i + 1) into `e`; returns false for other options. */
function expiryOption(ctx: CommandContext, cmd: string, args: readonly Buffer[], i: number, opt: string, e: Expiry): boolean {
  if (opt !== 'EX' && opt !== 'PX' && opt !== 'EXAT' && opt !== 'PXAT') return false;
  if (e.atMs !== 0 || e.keepTtl || e.persist || i + 1 >= args.length) throw syntaxError();
  const n = intArg(args, i + 1);
  if (n <= 0) throw invalidExpire(cmd);
  const now = ctx.deps.clock();
  const ms = opt === 'EX' ? now + n * 1000 : opt === 'PX' ? now + n : opt === 'EXAT' ? n * 1000 : n;
  if (!Number.isSafeInteger(ms)) throw invalidExpire(cmd);
  e.atMs = ms;
  return true;
}

/** Stores `value` expiring at `atMs` (0 = never); an absolute expiry already past deletes the key (as Redis). */
async function store(ctx: CommandContext, key: string, value: Buffer, atMs: number): Promise<void> {
  if (atMs === 0) {
    await ctx.deps.data.set(key, value, 0);
    return;
  }
  const ttlMs = atMs - ctx.deps.clock();
  if (ttlMs <= 0) await ctx.deps.data.remove(key);
  else await ctx.deps.data.set(key, value, ttlMs);
}

const get = command('get', 2, 'read', {
  keys: [1, 1, 1],
  summary: 'Returns the string value of a key.',
  run: (ctx, args) => {
    const key = keyArg(ctx, args, 1);
    const local = ctx.deps.data.getLocal?.(key);
    if (local !== undefined) return ctx.w.bulk(local);
    return ctx.deps.data.get(key).then((it) => ctx.w.bulk(it?.value));
  },
});

const set = command('set', -3, 'write', {
  keys: [1, 1, 1],
  flags: ['write', 'denyoom'],
  summary: 'Sets the string value of a key. NX / XX / GET / KEEPTTL read the key first (not atomic across the cluster).',
  run: (ctx, args) => {
    const key = keyArg(ctx, args, 1);
    const value = own(args[2]);
    // Plain SET (the hot path): one write, no async wrapper.
    if (args.length === 3) return ctx.deps.data.set(key, value, 0).then(() => ctx.w.ok());
    return setWithOptions(ctx, args, key, value);
  },
});

async function setWithOptions(ctx: CommandContext, args: readonly Buffer[], key: string, value: Buffer): Promise<void> {
  {
    const e: Expiry = { atMs: 0, keepTtl: false, persist: false };
    let nx = false;
    let xx = false;
    let returnOld = false;
    for (let i = 3; i < args.length; i++) {
      const opt = optArg(args, i);
      if (expiryOption(ctx, 'set', args, i, opt, e)) i++;
      else if (opt === 'NX' && !xx) nx = true;
      else if (opt === 'XX' && !nx) xx = true;
      else if (opt === 'GET') returnOld = true;
      else if (opt === 'KEEPTTL' && e.atMs === 0) e.keepTtl = true;
      else throw syntaxError();
    }
    const old = nx || xx || returnOld || e.keepTtl ? await ctx.deps.data.get(key) : undefined;
    if ((nx && old !== undefined) || (xx && old === undefined)) return returnOld ? ctx.w.bulk(old?.value) : ctx.w.nil();
    const atMs = e.keepTtl ? (old?.expiresAtMs ?? 0) : e.atMs;
    await store(ctx, key, value, atMs);
    if (returnOld) ctx.w.bulk(old?.value);
    else ctx.w.ok();
  }
}

const getdel = command('getdel', 2, 'write', {
  keys: [1, 1, 1],
  since: '6.2.0',
  summary: 'Returns the string value of a key after deleting the key (read, then delete).',
  run: async (ctx, args) => {
    const key = keyArg(ctx, args, 1);
    const it = await ctx.deps.data.get(key);
    if (it !== undefined) await ctx.deps.data.remove(key);
    ctx.w.bulk(it?.value);
  },
});

const getex = command('getex', -2, 'write', {
  keys: [1, 1, 1],
  since: '6.2.0',
  summary: 'Returns the string value of a key after setting its expiration time (read, then rewrite).',
  run: async (ctx, args) => {
    const key = keyArg(ctx, args, 1);
    const e: Expiry = { atMs: 0, keepTtl: false, persist: false };
    for (let i = 2; i < args.length; i++) {
      const opt = optArg(args, i);
      if (expiryOption(ctx, 'getex', args, i, opt, e)) i++;
      else if (opt === 'PERSIST' && e.atMs === 0 && !e.persist) e.persist = true;
      else throw syntaxError();
    }
    const it = await ctx.deps.data.get(key);
    if (it !== undefined && (e.atMs !== 0 || (e.persist && it.expiresAtMs !== 0))) await store(ctx, key, it.value, e.atMs);
    ctx.w.bulk(it?.value);
  },
});

const mget = command('mget', -2, 'read', {
  keys: [1, -1, 1],
  summary: 'Atomically returns the string values of one or more keys (one key at a time here).',
  run: (ctx, args) => {
    const keys = args.slice(1).map((_, i) => keyArg(ctx, args, i + 1));
    const getLocal = ctx.deps.data.getLocal;
    if (getLocal !== undefined) {
      const local = keys.map((k) => getLocal(k));
      if (local.every((v) => v !== undefined)) return ctx.w.bulks(local);
    }
    return ctx.deps.data.getMany(keys).then((items: Array<NodeItem | undefined>) => ctx.w.bulks(items.map((it) => it?.value)));
  },
});

const mset = command('mset', -3, 'write', {
  keys: [1, -1, 2],
  flags: ['write', 'denyoom'],
  summary: 'Sets the string values of multiple keys (not atomic: each key is one write).',
  run: async (ctx, args) => {
    if (args.length % 2 !== 1) throw new CommandError("ERR wrong number of arguments for 'mset' command");
    const items = [];
    for (let i = 1; i < args.length; i += 2) items.push({ key: keyArg(ctx, args, i), value: own(args[i + 1]), ttlMs: 0 });
    const results = await ctx.deps.data.setMany(items);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    ctx.w.ok();
  },
});

/** GET, SET, GETDEL, GETEX, MGET, MSET. */
export const STRING_COMMANDS: readonly CommandSpec[] = [get, set, getdel, getex, mget, mset];
