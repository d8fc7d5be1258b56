import { timingSafeEqual } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { PeerNotFoundError, PeerStatusError } from '../errors';
import type { PeerHandler } from './peer-handler';
import { BATCH_CONTENT_TYPE, decodeBatchRequest, encodeBatchResponse, type BatchResult } from '../batch-wire';
import { decodeRemoveQuery, decodeSetRequest, encodeGetResponse, type WireItem } from '../wire';
import { MapPeerHandler } from './map-peer-handler';

/** Options of {@link startPeerTestServer}. */
export interface PeerTestServerOptions {
  /** Require `Authorization: Bearer <token>` on every route (dist-protocol.md §17.4). Default none. */
  token?: string;
  /** Serve HTTPS with this material; `requestCert` + `ca` = mTLS (§17.3). Default plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer; requestCert?: boolean };
  /** Local shards for `/internal/keys` paging (§12), keys placed by FNV-1a-32 mod shardCount. Default 8. */
  shardCount?: number;
  /** Clock in epoch ms used to stamp received items. Default `Date.now`. */
  now?: () => number;
  /**
   * Serve `POST /internal/batch` (the TS batched call, docs/decisions.md D16). Default false: the
   * server then answers it 404 like an upstream peer.
   */
  batch?: boolean;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** `Content-Length` as received (the compressed size for gzip bodies), 0 when absent. */
  wireBytes: number;
}

/** A route override: replaces the built-in handler of `METHOD path` (e.g. `GET /health`). */
export type RouteOverride = (request: FastifyRequest, reply: FastifyReply) => unknown;

/** A running fake peer: the §17.1 routes a transport calls, backed by a {@link MapPeerHandler}. */
export interface PeerTestServer {
  /** `127.0.0.1:<port>`, what a `PeerAddress` carries. */
  readonly address: string;
  /** The handler behind the routes (stored items, received sets/removes, `isDraining`). */
  readonly handler: MapPeerHandler;
  /** Shortcut for `handler.items`. */
  readonly store: Map<string, WireItem>;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  readonly connectionCount: number;
  /** Replace (or with `undefined` restore) the handler of `METHOD path`. */
  override(route: string, handler: RouteOverride | undefined): void;
  /** A promise that only settles at {@link close}: return it from an override to stall a route. */
  stall(): Promise<void>;
  /** Releases stalled routes and closes the server, destroying open sockets. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a minimal peer dist listener on 127.0.0.1, port 0, with fastify, serving a
 * {@link PeerHandler}: `POST /internal/set` (gzip bodies accepted, §17.3), `GET /internal/get`,
 * `DELETE /internal/del`, `GET /health`, `GET /internal/keys` (per-shard paging, §12), with
 * optional bearer auth (§17.4) and TLS. Handler errors map as an app exception filter would:
 * `PeerStatusError` → its status/body, `PeerNotFoundError` → 404, `BAD_REQUEST` → 400, else 500
 * `{error, code}`. Test-only; the real listener lives in apps/dist-gateway.
 */
export async function startPeerTestServer(o: PeerTestServerOptions = {}): Promise<PeerTestServer> {
  const shardCount = o.shardCount ?? 8;
  const now = o.now ?? Date.now;
  const handler = new MapPeerHandler();
  const peerHandler: PeerHandler = handler;
  const requests: RecordedRequest[] = [];
  const overrides = new Map<string, RouteOverride>();
  const stalls: Array<() => void> = [];
  let connectionCount = 0;
  let closed: Promise<void> | undefined;

  const app = Fastify({
    bodyLimit: 16 * 1024 * 1024,
    forceCloseConnections: true,
    ...(o.tls && {
      https: {
        key: o.tls.key,
        cert: o.tls.cert,
        ca: o.tls.ca,
        requestCert: o.tls.requestCert ?? false,
        rejectUnauthorized: true,
        ALPNProtocols: ['http/1.1'],
      },
    }),
  }) as unknown as FastifyInstance;
  app.server.on('connection', () => connectionCount++);

  app.addHook('onRequest', async (req, reply) => {
    requests.push({ method: req.method, url: req.url, headers: { ...req.headers }, wireBytes: Number(req.headers['content-length'] ?? 0) });
    if (o.token !== undefined) {
      const got = Buffer.from(String(req.headers.authorization ?? ''));
      const want = Buffer.from(`Bearer ${o.token}`);
      if (got.length !== want.length || !timingSafeEqual(got, want)) {
        return reply.code(401).send({ error: 'unauthorized' });
      }
    }
  });

  // TS receivers MUST always accept gzip bodies on /internal/set (§17.3).
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (req.headers['content-encoding'] !== 'gzip') return payload;
    const gunzip = createGunzip();
    payload.pipe(gunzip);
    // fastify checks received bytes against Content-Length using this field of the new stream.
    (gunzip as unknown as { receivedEncodedLength: number }).receivedEncodedLength = Number(req.headers['content-length'] ?? 0);
    return gunzip;
  });

  const route = (method: 'GET' | 'POST' | 'DELETE', path: string, fn: RouteOverride) => {
    app.route({ method, url: path, handler: (req, reply) => (overrides.get(`${method} ${path}`) ?? fn)(req, reply) });
  };
  const query = (req: FastifyRequest) => req.query as Record<string, string | undefined>;

  route('POST', '/internal/set', async (req, reply) => {
    const { item, replicate } = decodeSetRequest(req.body, now);
    await peerHandler.handleSet(item, replicate, query(req)['check'] === '1');
    return reply.send({});
  });
  if (o.batch) {
    route('POST', '/internal/batch', async (req, reply) => {
      const ops = decodeBatchRequest(req.body as Buffer, now);
      const check = query(req)['check'] === '1';
      const results = await Promise.all(
        ops.map(async (op): Promise<BatchResult> => {
          try {
            if (op.kind === 'set') await peerHandler.handleSet(op.item, op.replicate, check);
            else await peerHandler.handleRemove(op.key, op.replicate, op.version, op.origin, check);
            return undefined;
          } catch (e) {
            return batchResultOf(e);
          }
        }),
      );
      return reply.type(BATCH_CONTENT_TYPE).send(encodeBatchResponse(results));
    });
    app.addContentTypeParser(BATCH_CONTENT_TYPE, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }
  route('GET', '/internal/get', async (req, reply) => {
    const key = query(req)['key'];
    if (!key) return reply.code(400).send({ error: 'missing key' });
    return reply.send(encodeGetResponse(await peerHandler.handleGet(key)));
  });
  route('DELETE', '/internal/del', async (req, reply) => {
    const q = decodeRemoveQuery(query(req));
    await peerHandler.handleRemove(q.key, q.replicate, q.version, q.origin, query(req)['check'] === '1');
    return reply.send({});
  });
  route('GET', '/health', async (_req, reply) => {
    await peerHandler.handleHealth();
    return reply.type('text/plain').send('ok');
  });
  route('GET', '/internal/keys', async (req, reply) => {
    const q = query(req);
    const cursor = Number(q['cursor'] ?? '0');
    const limit = Number(q['limit'] ?? '0');
    if (!Number.isInteger(cursor) || cursor < 0) return reply.code(400).send({ error: 'invalid cursor' });
    if (!Number.isInteger(limit) || limit < 0) return reply.code(400).send({ error: 'invalid limit' });
    if (cursor >= shardCount) return reply.send({ keys: [], next_cursor: '' });
    const matches = (await peerHandler.handleKeys(q['q'] || undefined)).filter((k) => fnv1a32(k) % shardCount === cursor);
    if (limit > 0 && matches.length > limit) {
      return reply.send({ keys: matches.slice(0, limit), next_cursor: String(cursor), truncated: true });
    }
    return reply.send({ keys: matches, next_cursor: cursor + 1 < shardCount ? String(cursor + 1) : '', truncated: false });
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (err instanceof PeerStatusError) {
      return typeof err.body === 'string' ? reply.code(err.status).type('text/plain').send(err.body) : reply.code(err.status).send(err.body);
    }
    if (err instanceof PeerNotFoundError) return reply.code(404).send(err.body);
    const status = err.code === 'BAD_REQUEST' ? 400 : (err.statusCode ?? 500);
    return reply.code(status).send({ error: err.message, code: err.code ?? 'INTERNAL' });
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };

  return {
    address: `127.0.0.1:${port}`,
    handler,
    store: handler.items,
    requests,
    get connectionCount() {
      return connectionCount;
    },
    override: (r, fn) => void (fn ? overrides.set(r, fn) : overrides.delete(r)),
    stall: () => new Promise<void>((resolve) => stalls.push(resolve)),
    close: () => {
      closed ??= (async () => {
        for (const release of stalls.splice(0)) release();
        await app.close();
      })();
      return closed;
    },
  };
}

/** The per-operation result a batch reports for a handler error (same mapping as the error handler). */
function batchResultOf(e: unknown): BatchResult {
  if (e instanceof PeerStatusError) {
    const version = (e.body as { version?: unknown } | null)?.version;
    return { status: e.status, code: e.remoteCode ?? '', error: e.remoteMessage ?? '', ...(typeof version === 'number' ? { version } : {}) };
  }
  const body = e instanceof PeerNotFoundError ? (e.body as { error?: string; code?: string }) : undefined;
  if (e instanceof PeerNotFoundError) return { status: 404, code: body?.code ?? 'NOT_FOUND', error: body?.error ?? '' };
  const err = e as { code?: string; message?: string };
  return { status: err.code === 'BAD_REQUEST' ? 400 : 500, code: err.code ?? 'INTERNAL', error: err.message ?? String(e) };
}

/** FNV-1a 32-bit over UTF-8, the local shard hash (dist-protocol.md §1). */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
