import type { Identity } from '@hypercache/auth';
import { command, CommandError, intArg, optArg, syntaxError, type CommandContext, type CommandSpec } from '../command-spec';

/** The Redis version clients are told (the command set and RESP3 follow Redis 7). */
export const REDIS_COMPAT_VERSION = '7.0.0';

const wrongPass = () => new CommandError('WRONGPASS invalid username-password pair or user is disabled.');

/**
 * Resolves `AUTH [user] token`: the password is a bearer token of the auth policy (or an OIDC JWT);
 * the user name, when given, must be `default` or the token's identity ID.
 */
export async function authenticate(ctx: CommandContext, user: string | undefined, token: string): Promise<Identity> {
  const resolved = ctx.deps.auth.resolve(`Bearer ${token}`, undefined);
  const identity = resolved instanceof Promise ? await resolved : resolved;
  if (identity === undefined || identity === ctx.deps.auth.anonymousIdentity) throw wrongPass();
  if (user !== undefined && user !== 'default' && user !== identity.id) throw wrongPass();
  return identity;
}

const ping = command('ping', -1, 'none', {
  group: 'connection',
  summary: 'Returns PONG, or the argument.',
  run: (ctx, args) => {
    if (args.length > 2) throw new CommandError("ERR wrong number of arguments for 'ping' command");
    if (args.length === 2) ctx.w.bulk(args[1]);
    else ctx.w.simple('PONG');
  },
});

const echo = command('echo', 2, 'none', { group: 'connection', summary: 'Returns the argument.', run: (ctx, args) => ctx.w.bulk(args[1]) });

const auth = command('auth', -2, 'none', {
  group: 'connection',
  beforeAuth: true,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth'],
  summary: 'Authenticates the connection with a token of the auth policy (AUTH [user] token).',
  run: async (ctx, args) => {
    if (args.length > 3) throw syntaxError();
    if (!ctx.deps.auth.hasCredentials) throw new CommandError('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
    const user = args.length === 3 ? args[1].toString('utf8') : undefined;
    ctx.session.identity = await authenticate(ctx, user, args[args.length - 1].toString('utf8'));
    ctx.w.ok();
  },
});

const hello = command('hello', -1, 'none', {
  group: 'connection',
  beforeAuth: true,
  since: '6.0.0',
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth'],
  summary: 'Handshake: selects RESP2 or RESP3, optionally authenticates and names the connection.',
  run: async (ctx, args) => {
    let protocol = ctx.w.protocol;
    if (args.length >= 2) {
      const v = args[1].toString('latin1');
      if (v !== '2' && v !== '3') throw new CommandError('NOPROTO unsupported protocol version');
      protocol = v === '3' ? 3 : 2;
    }
    let identity = ctx.session.identity;
    let name: string | undefined;
    for (let i = 2; i < args.length; i++) {
      const opt = optArg(args, i);
      if (opt === 'AUTH' && i + 2 < args.length) {
        if (!ctx.deps.auth.hasCredentials) throw new CommandError('ERR AUTH <password> called without any password configured for the default user.');
        identity = await authenticate(ctx, args[i + 1].toString('utf8'), args[i + 2].toString('utf8'));
        i += 2;
      } else if (opt === 'SETNAME' && i + 1 < args.length) {
        name = clientName(args[++i]);
      } else throw new CommandError(`ERR Syntax error in HELLO option '${args[i].toString('utf8')}'`);
    }
    if (identity === undefined) {
      throw new CommandError('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
    }
    ctx.session.identity = identity;
    if (name !== undefined) ctx.session.name = name;
    ctx.w.protocol = protocol;
    const w = ctx.w;
    w.map(7);
    w.bulk('server');
    w.bulk('redis');
    w.bulk('version');
    w.bulk(REDIS_COMPAT_VERSION);
    w.bulk('proto');
    w.integer(protocol);
    w.bulk('id');
    w.integer(ctx.session.id);
    w.bulk('mode');
    w.bulk('standalone');
    w.bulk('role');
    w.bulk('master');
    w.bulk('modules');
    w.array(0);
  },
});

const select = command('select', 2, 'none', {
  group: 'connection',
  summary: 'Only database 0 exists.',
  run: (ctx, args) => {
    if (intArg(args, 1) !== 0) throw new CommandError('ERR DB index is out of range');
    ctx.w.ok();
  },
});

const quit = command('quit', -1, 'none', {
  group: 'connection',
  beforeAuth: true,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth'],
  summary: 'Closes the connection after the reply.',
  run: (ctx) => {
    ctx.session.closing = true;
    ctx.w.ok();
  },
});

/** A client name: no spaces or newlines (as Redis). */
function clientName(b: Buffer): string {
  const s = b.toString('utf8');
  if (/[\s]/.test(s)) throw new CommandError('ERR Client names cannot contain spaces, newlines or special characters.');
  return s;
}

function clientInfoLine(ctx: CommandContext): string {
  const s = ctx.session;
  return `id=${s.id} addr=${s.remote} name=${s.name} db=0 resp=${ctx.w.protocol} user=${s.identity?.id ?? ''} lib-name=${s.libName} lib-ver=${s.libVersion}\n`;
}

const client = command('client', -2, 'none', {
  group: 'connection',
  flags: ['noscript', 'loading', 'stale'],
  summary: 'CLIENT ID / SETNAME / GETNAME / SETINFO / INFO / LIST (this connection only).',
  run: (ctx, args) => {
    const sub = optArg(args, 1);
    const s = ctx.session;
    if (sub === 'ID' && args.length === 2) return ctx.w.integer(s.id);
    if (sub === 'GETNAME' && args.length === 2) return ctx.w.bulk(s.name === '' ? null : s.name);
    if (sub === 'SETNAME' && args.length === 3) {
      s.name = clientName(args[2]);
      return ctx.w.ok();
    }
    if (sub === 'SETINFO' && args.length === 4) {
      const attr = optArg(args, 2);
      const value = clientName(args[3]);
      if (attr === 'LIB-NAME') s.libName = value;
      else if (attr === 'LIB-VER') s.libVersion = value;
      else throw new CommandError(`ERR Unrecognized option '${args[2].toString('utf8')}'`);
      return ctx.w.ok();
    }
    if ((sub === 'INFO' || sub === 'LIST') && args.length === 2) return ctx.w.bulk(clientInfoLine(ctx));
    throw new CommandError(`ERR unknown subcommand or wrong number of arguments for '${args[1].toString('utf8')}'. Try CLIENT HELP.`);
  },
});

/** What `CONFIG GET` answers: the settings clients and redis-benchmark probe. */
function configTable(ctx: CommandContext): Record<string, string> {
  return {
    save: '',
    appendonly: 'no',
    databases: '1',
    maxmemory: '0',
    'maxmemory-policy': 'noeviction',
    timeout: '0',
    'proto-max-bulk-len': String(ctx.deps.maxBulkBytes),
    'cluster-enabled': 'no',
  };
}

/** A Redis glob (`*`, `?`, `[…]`) as a regular expression, case-insensitive (CONFIG GET). */
function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

const config = command('config', -2, 'none', {
  group: 'server',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  summary: 'CONFIG GET for the settings clients probe (read only).',
  run: (ctx, args) => {
    if (optArg(args, 1) !== 'GET' || args.length < 3) throw new CommandError(`ERR unknown subcommand '${args[1].toString('utf8')}'. Try CONFIG HELP.`);
    const table = configTable(ctx);
    const res = args.slice(2).map((a) => globRegExp(a.toString('utf8')));
    const hits = Object.entries(table).filter(([k]) => res.some((r) => r.test(k)));
    ctx.w.map(hits.length);
    for (const [k, v] of hits) {
      ctx.w.bulk(k);
      ctx.w.bulk(v);
    }
  },
});

/** INFO sections, in Redis's order. */
function infoSections(ctx: CommandContext): Record<string, Array<[string, string | number]>> {
  const st = ctx.stats;
  const uptimeS = Math.max(0, Math.floor((ctx.deps.clock() - st.startedAtMs) / 1000));
  return {
    server: [
      ['redis_version', REDIS_COMPAT_VERSION],
      ['hypercache_version', ctx.deps.version],
      ['hypercache_node', ctx.deps.data.nodeId],
      ['redis_mode', 'standalone'],
      ['os', `${process.platform} ${process.arch}`],
      ['process_id', process.pid],
      ['tcp_port', st.port],
      ['uptime_in_seconds', uptimeS],
      ['uptime_in_days', Math.floor(uptimeS / 86_400)],
    ],
    clients: [
      ['connected_clients', st.connectedClients],
      ['blocked_clients', 0],
    ],
    persistence: [['loading', 0]],
    stats: [
      ['total_connections_received', st.totalConnections],
      ['total_commands_processed', st.totalCommands],
      ['rejected_connections', st.rejectedConnections],
    ],
    replication: [['role', 'master']],
    keyspace: [],
  };
}

const info = command('info', -1, 'read', {
  group: 'server',
  flags: ['loading', 'stale'],
  summary: 'Server, clients, persistence (loading:0), stats, replication and keyspace sections.',
  run: async (ctx, args) => {
    const sections = infoSections(ctx);
    const wanted = args.slice(1).map((a) => a.toString('latin1').toLowerCase());
    const explicitAll = wanted.some((w) => w === 'all' || w === 'everything');
    const all = wanted.length === 0 || explicitAll || wanted.includes('default');
    // Counting keys fans out to every member: only when asked for by name (ioredis sends a bare
    // INFO on every connect as its ready check).
    if (explicitAll || wanted.includes('keyspace')) {
      const page = await ctx.deps.data.keys({ pattern: undefined, cursor: 0, limit: 1, max: 50_000 });
      if (page.total_matched > 0) sections.keyspace.push(['db0', `keys=${page.total_matched},expires=0,avg_ttl=0`]);
    }
    const out: string[] = [];
    for (const [name, fields] of Object.entries(sections)) {
      if (!all && !wanted.includes(name)) continue;
      out.push(`# ${name[0].toUpperCase()}${name.slice(1)}`, ...fields.map(([k, v]) => `${k}:${v}`), '');
    }
    ctx.w.verbatim(out.join('\r\n'));
  },
});

/** One COMMAND entry (Redis 7 shape: 10 fields). */
function writeCommandInfo(ctx: CommandContext, spec: CommandSpec): void {
  const w = ctx.w;
  w.array(10);
  w.bulk(spec.name);
  w.integer(spec.arity);
  w.set(spec.flags.length);
  for (const f of spec.flags) w.simple(f);
  w.integer(spec.keys[0]);
  w.integer(spec.keys[1]);
  w.integer(spec.keys[2]);
  w.set(0);
  w.array(0);
  w.array(0);
  w.array(0);
}

function writeCommandDocs(ctx: CommandContext, spec: CommandSpec): void {
  const w = ctx.w;
  w.bulk(spec.name);
  w.map(3);
  w.bulk('summary');
  w.bulk(spec.summary);
  w.bulk('since');
  w.bulk(spec.since);
  w.bulk('group');
  w.bulk(spec.group);
}

const commandCmd = command('command', -1, 'none', {
  group: 'server',
  flags: ['loading', 'stale'],
  summary: 'COMMAND, COMMAND COUNT / INFO / DOCS / LIST over the supported subset.',
  run: (ctx, args) => {
    const all = [...ctx.table.values()];
    const named = () => args.slice(2).map((a) => ctx.table.get(a.toString('latin1').toLowerCase()));
    if (args.length === 1) {
      ctx.w.array(all.length);
      for (const s of all) writeCommandInfo(ctx, s);
      return;
    }
    const sub = optArg(args, 1);
    if (sub === 'COUNT') return ctx.w.integer(all.length);
    if (sub === 'LIST') return ctx.w.bulks(all.map((s) => s.name));
    if (sub === 'INFO') {
      const specs = args.length === 2 ? all : named();
      ctx.w.array(specs.length);
      for (const s of specs) if (s === undefined) ctx.w.nilArray();
      else writeCommandInfo(ctx, s);
      return;
    }
    if (sub === 'DOCS') {
      const specs = (args.length === 2 ? all : named()).filter((s) => s !== undefined);
      ctx.w.map(specs.length);
      for (const s of specs) writeCommandDocs(ctx, s);
      return;
    }
    throw new CommandError(`ERR unknown subcommand '${args[1].toString('utf8')}'. Try COMMAND HELP.`);
  },
});

/** PING, ECHO, AUTH, HELLO, SELECT, QUIT, CLIENT, CONFIG, INFO, COMMAND. */
export const SERVER_COMMANDS: readonly CommandSpec[] = [ping, echo, auth, hello, select, quit, client, config, info, commandCmd];
