import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AuthPolicy } from '@hypercache/auth';
import { scopeMask } from '@hypercache/auth';
import { toErrorResponse } from '@hypercache/http-kit';
import type { NodeCache, NodeState, NodeWriteResult } from '@hypercache/node';
import type { HttpRequestCounters } from '@hypercache/telemetry';
import { CACHE_KEY_ROUTE, JSON_TYPE, putAnswer } from './cache-routes';

/** What the fast path needs. */
export interface ValueFastPathDeps {
  readonly data: NodeCache;
  /** Drain state: a write arriving while draining takes the framework's path (its 503 DRAINING). */
  readonly state: NodeState;
  readonly maxKeyLength: number;
  /** `HYPERCACHE_MAX_BODY_BYTES`: larger PUT bodies take the framework's path (its 413). */
  readonly bodyLimitBytes: number;
  /** The client API's auth policy (GET needs `read`, PUT `write`). */
  readonly auth: AuthPolicy;
  /** Request counters of the listener (as its `onResponse` hook counts them); undefined = none. */
  readonly counters: HttpRequestCounters | undefined;
  /** True once the app is shutting down: requests then take the framework's path (its 503). */
  readonly shuttingDown: () => boolean;
  /** Where a 500 of a fast PUT is logged (as the app's error filter does). */
  readonly log?: Logger;
  /**
   * Every route of the app (`registeredRoutes`): a static route the router prefers to
   * `/v1/cache/:key` (`GET /v1/cache/keys`) keeps its path; a parametric sibling turns the fast
   * path off for that method.
   */
  readonly routes: ReadonlyArray<{ readonly method: string; readonly url: string }>;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const PREFIX = '/v1/cache/';
const READ = scopeMask(['read']);
const WRITE = scopeMask(['write']);
/** fastify's own `maxParamLength` of the client API; longer keys take the framework's path. */
const MAX_PARAM = 16_384;
const EMPTY = Buffer.alloc(0);
/** A bare `type/subtype` media type, which fastify's catch-all parser takes as is. */
const SIMPLE_MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
const DIGITS = /^\d{1,15}$/;

/**
 * Answers the two most common requests of the client API straight from the HTTP server's
 * `request` event, before fastify and Nest see them: a raw `GET /v1/cache/<key>` that hits this
 * node's local copy, and a plain `PUT /v1/cache/<key>` (no query, a `Content-Length` body).
 * Every other request, and any request the fast path is not sure about, goes on to the framework
 * unchanged. Issue 18 (docs/benchmarks.md): fastify's lifecycle with the eight `onRequest` /
 * `onResponse` hooks Nest, the drain gate and the metrics install on every route cost ≈ 4 µs of a
 * ≈ 35 µs GET where raw Fastify + Map costs ≈ 29 µs. The answers are byte-identical to the
 * framework's (`content-type`, `content-length`, then node's `Date`/`Connection`/`Keep-Alive`),
 * counted in the listener's request metrics (latency up to the hand-off to the socket), and
 * authorised by the same policy.
 *
 * Taken only when all hold, else the framework answers (401/403/400/404/413/503 as before):
 * - the path is `/v1/cache/<key>` with no query and a key of printable ASCII without `/ ? % # ;`
 *   within the key limit (nothing for the router to decode or split), and no static route of
 *   the method holds that path (`GET /v1/cache/keys` is the key browser);
 * - the app is not shutting down; the policy resolves the credentials synchronously and grants
 *   the route's scope;
 * - GET: no `Accept: application/json`, and the key is a local hit;
 * - PUT: the node is not draining, a bare `Content-Type`, a `Content-Length` within the body
 *   limit, no `Transfer-Encoding`.
 */
export function installValueFastPath(server: Server, d: ValueFastPathDeps): void {
  const framework = server.listeners('request') as Listener[];
  if (framework.length !== 1) throw new Error(`value fast path: expected one request listener, found ${framework.length}`);
  const next = framework[0];
  server.removeListener('request', next);
  const { data, state, auth, counters, shuttingDown, log, bodyLimitBytes } = d;
  const getLocal = data.getLocal;
  const setLocal = data.setLocal;
  const keyLimit = Math.min(d.maxKeyLength, MAX_PARAM);
  const open = auth.isOpen;
  const nodeField = `"node":${JSON.stringify(data.nodeId)}`;
  const shadowed = { GET: siblings(d.routes, 'GET'), PUT: siblings(d.routes, 'PUT') };
  const getOn = shadowed.GET !== undefined;
  const putOn = shadowed.PUT !== undefined;

  const putPlain = (req: IncomingMessage, res: ServerResponse, key: string, length: number, start: number): void => {
    const chunks: Buffer[] = [];
    // Plain `on` listeners, left on the request: 'end' comes once and no 'data' follows it, and
    // the request is dropped with its listeners (a `once` wrapper and two removals cost ≈ 0.3 µs).
    const onEnd = () => {
      // fastify copies the body out of the socket's read buffer the same way.
      const body = length === 0 ? EMPTY : Buffer.concat(chunks, length);
      const stored = ({ owners }: NodeWriteResult) => {
        send(res, 200, putAnswer(key, 0, body.length, nodeField, owners));
        counters?.record('PUT', 200, performance.now() - start);
      };
      const failed = (e: unknown) => {
        const { status, body: err } = toErrorResponse(e, log);
        send(res, status, JSON.stringify(err));
        counters?.record('PUT', status, performance.now() - start);
      };
      // A write this node completes alone is answered in this turn, without a promise.
      let done: NodeWriteResult | undefined;
      try {
        done = setLocal?.(key, body, 0);
      } catch (e) {
        failed(e);
        return;
      }
      if (done !== undefined) stored(done);
      else data.set(key, body, 0).then(stored, failed);
    };
    req.on('data', (chunk: Buffer) => void chunks.push(chunk));
    req.on('end', onEnd);
  };

  server.on('request', function fastPath(this: Server, req: IncomingMessage, res: ServerResponse) {
    const start = counters === undefined ? 0 : performance.now();
    const method = req.method;
    const url = req.url as string;
    if ((method === 'GET' || method === 'PUT') && url.startsWith(PREFIX) && !shuttingDown()) {
      const key = url.slice(PREFIX.length);
      if (isPlainKey(key, keyLimit)) {
        const h = req.headers;
        if (method === 'GET') {
          if (getOn && !shadowed.GET!.has(key) && getLocal !== undefined && (h.accept === undefined || !h.accept.includes('application/json')) && (open || allowed(auth, req, READ))) {
            const value = getLocal(key);
            if (value !== undefined) {
              res.writeHead(200, ['content-type', 'application/octet-stream', 'content-length', String(value.length)]);
              res.end(value);
              counters?.record('GET', 200, performance.now() - start);
              return;
            }
          }
        } else {
          const cl = h['content-length'];
          const ct = h['content-type'];
          if (
            putOn && !shadowed.PUT!.has(key) &&
            cl !== undefined && DIGITS.test(cl) && Number(cl) <= bodyLimitBytes &&
            h['transfer-encoding'] === undefined && ct !== undefined && SIMPLE_MEDIA_TYPE.test(ct) &&
            !state.isDraining && (open || allowed(auth, req, WRITE))
          ) {
            putPlain(req, res, key, Number(cl), start);
            return;
          }
        }
      }
    }
    next.call(this, req, res);
  });
}

/**
 * The one-segment static paths under `/v1/cache/` other routes of `method` hold (the router
 * prefers them to `:key`), or undefined when a sibling route is parametric or a wildcard (then the
 * fast path cannot tell which route a path belongs to and leaves `method` to the framework).
 */
function siblings(routes: ValueFastPathDeps['routes'], method: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const r of routes) {
    if (r.method !== method || !r.url.startsWith(PREFIX) || r.url === CACHE_KEY_ROUTE) continue;
    const rest = r.url.slice(PREFIX.length);
    const segment = rest.split('/')[0];
    if (segment.includes(':') || segment.includes('*')) return undefined;
    if (!rest.includes('/')) out.add(segment);
  }
  return out;
}

/** Writes a JSON answer with the headers fastify's `reply.header(content-type).send(string)` writes. */
function send(res: ServerResponse, status: number, payload: string): void {
  res.writeHead(status, ['content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(payload))]);
  res.end(payload);
}

/**
 * A key the router would pass on as-is and the route would accept: 1..limit printable ASCII
 * characters other than `/ ? % # ;` (so nothing to decode or split, and never blank).
 */
function isPlainKey(key: string, limit: number): boolean {
  const n = key.length;
  if (n === 0 || n > limit) return false;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x2f || c === 0x3f || c === 0x25 || c === 0x23 || c === 0x3b) return false;
  }
  return true;
}

/** Synchronous auth decision for `mask`; false = let the framework decide (401/403, or a JWT to verify). */
function allowed(auth: AuthPolicy, req: IncomingMessage, mask: number): boolean {
  const identity = auth.resolve(req.headers.authorization, req.socket);
  if (identity instanceof Promise) {
    identity.catch(() => undefined); // the framework resolves it again and answers
    return false;
  }
  return auth.check(identity, mask) === undefined;
}
