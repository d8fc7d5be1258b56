import type { AuthPolicy, Identity } from '@hypercache/auth';
import type { NodeCache } from '@hypercache/node';
import type { ReplyWriter } from './reply-writer';

/** What the RESP commands consume: the node's data seam, drain state, auth policy and clock. */
export interface RespDeps {
  /** The node seam (every data command goes through it). */
  readonly data: NodeCache;
  /** Drain state: writes answer `-DRAINING` while it is true. */
  readonly state: { readonly isDraining: boolean };
  /** The client API's one auth policy (tokens + scopes). */
  readonly auth: AuthPolicy;
  /** Wall clock, epoch ms. */
  readonly clock: () => number;
  /** `HYPERCACHE_MAX_KEY_LENGTH` (keys are UTF-8 strings, as on the client API). */
  readonly maxKeyLength: number;
  /** Largest bulk string accepted (`HYPERCACHE_MAX_BODY_BYTES`). */
  readonly maxBulkBytes: number;
  /** Server version shown by HELLO and INFO. */
  readonly version: string;
}

/** Process-wide counters of one RESP listener (INFO clients / stats). */
export interface RespServerStats {
  connectedClients: number;
  totalConnections: number;
  totalCommands: number;
  rejectedConnections: number;
  readonly startedAtMs: number;
  /** Bound TCP port (INFO server). */
  port: number;
}

/** Per-connection state. */
export interface RespSessionState {
  readonly id: number;
  /** Undefined = not authenticated (only AUTH, HELLO and QUIT run). */
  identity: Identity | undefined;
  name: string;
  libName: string;
  libVersion: string;
  /** Set by QUIT: the connection closes once its reply is written. */
  closing: boolean;
  readonly remote: string;
}

/** What a command handler gets. */
export interface CommandContext {
  readonly deps: RespDeps;
  readonly w: ReplyWriter;
  readonly session: RespSessionState;
  readonly stats: RespServerStats;
  /** The command table (COMMAND). */
  readonly table: ReadonlyMap<string, CommandSpec>;
}

/** The scope a command needs (auth.md §1), or none for connection commands. */
export type CommandScope = 'read' | 'write' | 'admin' | 'none';

/** One command of the table: Redis arity and flags (for COMMAND), the scope, the handler. */
export interface CommandSpec {
  /** Lower-case name. */
  readonly name: string;
  /** Redis arity: n = exactly n arguments (name included), -n = at least n. */
  readonly arity: number;
  /** Redis command flags shown by COMMAND (`readonly`, `write`, `fast`, …). */
  readonly flags: readonly string[];
  readonly scope: CommandScope;
  /** Writes are refused while the node drains. */
  readonly isWrite: boolean;
  /** Runs before authentication (AUTH, HELLO, QUIT). */
  readonly beforeAuth?: boolean;
  /** First key, last key (-1 = last argument), step (0 = no keys). */
  readonly keys: readonly [number, number, number];
  readonly group: string;
  readonly summary: string;
  readonly since: string;
  /** Writes the reply (synchronously or when the promise settles). Thrown errors become error replies. */
  readonly run: (ctx: CommandContext, args: readonly Buffer[]) => void | Promise<void>;
}

/** A command error with its full reply text (`ERR syntax error`, `WRONGPASS …`). */
export class CommandError extends Error {
  constructor(readonly reply: string) {
    super(reply);
    this.name = 'CommandError';
  }
}

/** `-ERR syntax error`. */
export const syntaxError = (): CommandError => new CommandError('ERR syntax error');
/** `-ERR value is not an integer or out of range`. */
export const notInteger = (): CommandError => new CommandError('ERR value is not an integer or out of range');

/** Argument `i` as a strict base-10 integer (Redis `string2ll`). */
export function intArg(args: readonly Buffer[], i: number): number {
  const s = args[i].toString('latin1');
  if (!/^-?(0|[1-9][0-9]{0,17})$/.test(s)) throw notInteger();
  return Number(s);
}

/** Argument `i` upper-cased (option names). */
export const optArg = (args: readonly Buffer[], i: number): string => args[i].toString('latin1').toUpperCase();

const NON_BLANK = /\S/;

/** Argument `i` as a key: a UTF-8 string, non-empty, at most `maxKeyLength` chars (the client API's rule). */
export function keyArg(ctx: CommandContext, args: readonly Buffer[], i: number): string {
  const key = args[i].toString('utf8');
  // Blank keys are refused as on the client API (a regex test allocates nothing, unlike trim()).
  if (!NON_BLANK.test(key)) throw new CommandError('ERR invalid key: empty');
  if (key.length > ctx.deps.maxKeyLength) throw new CommandError(`ERR key is ${key.length} chars, limit is ${ctx.deps.maxKeyLength}`);
  return key;
}

/** Builds a spec with defaults for the COMMAND metadata. */
export function command(
  name: string,
  arity: number,
  scope: CommandScope,
  o: Omit<Partial<CommandSpec>, 'name' | 'arity' | 'scope' | 'run'> & { run: CommandSpec['run'] },
): CommandSpec {
  const isWrite = o.isWrite ?? scope === 'write';
  const flags = o.flags ?? (isWrite ? ['write'] : scope === 'read' ? ['readonly', 'fast'] : ['fast']);
  return { name, arity, scope, isWrite, flags, keys: o.keys ?? [0, 0, 0], group: o.group ?? 'string', summary: o.summary ?? '', since: o.since ?? '1.0.0', beforeAuth: o.beforeAuth, run: o.run };
}
