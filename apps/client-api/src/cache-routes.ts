import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod, RouteOptions } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '@hypercache/config';
import { ApiError, rfc3339Seconds, sendError } from '@hypercache/http-kit';
import type { NodeCache, NodeWriteResult } from '@hypercache/node';
import { itemEnvelope, remainingTtlMs } from './item-view';
import { checkKey, parseTtlQuery, wantsJson } from './request-parsing';

type KeyRequest = FastifyRequest<{ Params: { key?: string }; Querystring: { ttl?: unknown } }>;

/** What the value routes need: the data seam, the clock, the key limit and the error log. */
export interface CacheRoutesDeps {
  readonly data: NodeCache;
  readonly clock: Clock;
  readonly maxKeyLength: number;
  /** Where a 500 is logged (as the app's error filter does). */
  readonly log?: Logger;
}

/** The URL of the four value routes (find-my-way syntax). */
export const CACHE_KEY_ROUTE = '/v1/cache/:key';

const EMPTY = Buffer.alloc(0);
export const JSON_TYPE = 'application/json; charset=utf-8';
const OCTETS = 'application/octet-stream';

/**
 * `PUT/GET/HEAD/DELETE /v1/cache/:key` (client-api.md §5.1–5.4) as plain fastify handlers: raw
 * body, key and ttl checked by hand, the node seam called directly (with its synchronous local
 * GET fast path), the reply written without serializers, every error sent as the envelope here.
 * `CacheController` declares the routes to Nest (Swagger, scopes); {@link installCacheRoutes}
 * puts these handlers in place of Nest's, so a value request never enters Nest's router
 * (router context, interceptors, exception zone: ≈ 8 µs of ≈ 47 µs CPU per GET measured on
 * this machine, docs/benchmarks.md issue 18).
 */
export class CacheRoutes {
  readonly #data: NodeCache;
  readonly #now: Clock;
  readonly #maxKeyLength: number;
  readonly #log: Logger | undefined;
  readonly #getLocal: ((key: string) => Buffer | undefined) | undefined;
  /** `"node":"<id>"` of every write answer, built once. */
  readonly #nodeField: string;

  constructor(d: CacheRoutesDeps) {
    this.#data = d.data;
    this.#now = d.clock;
    this.#maxKeyLength = d.maxKeyLength;
    this.#log = d.log;
    this.#getLocal = d.data.getLocal;
    this.#nodeField = `"node":${JSON.stringify(d.data.nodeId)}`;
  }

  /** `GET`: raw bytes, or the JSON envelope when `Accept` asks for it; 404 when missing. */
  readonly get = (req: FastifyRequest, reply: FastifyReply): void => {
    let key: string;
    let json: boolean;
    try {
      key = checkKey((req as KeyRequest).params.key, this.#maxKeyLength);
      json = wantsJson(req.headers.accept);
      if (!json && this.#getLocal !== undefined) {
        // Hot path: a local hit needs neither metadata nor an async hop.
        const value = this.#getLocal(key);
        if (value !== undefined) {
          reply.header('content-type', OCTETS).send(value);
          return;
        }
      }
    } catch (e) {
      this.#fail(reply, req.method, e);
      return;
    }
    this.#data.get(key).then(
      (item) => {
        if (item === undefined) return this.#fail(reply, req.method, new ApiError('NOT_FOUND', 'key not found'));
        if (!json) return void reply.header('content-type', OCTETS).send(item.value);
        const env = itemEnvelope(item, this.#now(), this.#data.nodeId, this.#data.ownersOf(key));
        reply.header('content-type', JSON_TYPE).send(JSON.stringify(env));
      },
      (e: unknown) => this.#fail(reply, req.method, e),
    );
  };

  /** `PUT`: stores the body byte-for-byte; `?ttl=` a Go duration. */
  readonly put = (req: FastifyRequest, reply: FastifyReply): void => {
    let key: string;
    let ttlMs: number;
    try {
      key = checkKey((req as KeyRequest).params.key, this.#maxKeyLength);
      ttlMs = parseTtlQuery((req as KeyRequest).query.ttl);
    } catch (e) {
      this.#fail(reply, req.method, e);
      return;
    }
    const body = req.body instanceof Buffer ? req.body : EMPTY;
    this.#data.set(key, body, ttlMs).then(
      ({ owners }) => {
        reply.header('content-type', JSON_TYPE).send(putAnswer(key, ttlMs, body.length, this.#nodeField, owners));
      },
      (e: unknown) => this.#fail(reply, req.method, e),
    );
  };

  /** `HEAD`: the item's metadata as `X-Cache-*` headers, no body. */
  readonly head = (req: FastifyRequest, reply: FastifyReply): void => {
    const key = this.#keyOf(req, reply);
    if (key === undefined) return;
    this.#data.get(key).then(
      (item) => {
        if (item === undefined) return this.#fail(reply, req.method, new ApiError('NOT_FOUND', 'key not found'));
        const ttl = remainingTtlMs(item, this.#now());
        const owners = this.#data.ownersOf(key);
        reply.header('x-cache-version', String(item.version));
        if (item.origin) reply.header('x-cache-origin', item.origin);
        if (item.lastUpdatedMs > 0) reply.header('x-cache-last-updated', rfc3339Seconds(item.lastUpdatedMs));
        if (ttl !== undefined && ttl > 0) {
          reply.header('x-cache-ttl-ms', String(ttl));
          reply.header('x-cache-expires-at', rfc3339Seconds(item.expiresAtMs));
        }
        if (owners.length > 0) reply.header('x-cache-owners', owners.join(','));
        reply.header('x-cache-node', this.#data.nodeId);
        reply.send();
      },
      (e: unknown) => this.#fail(reply, req.method, e),
    );
  };

  /** `DELETE`: idempotent removal. */
  readonly delete = (req: FastifyRequest, reply: FastifyReply): void => {
    const key = this.#keyOf(req, reply);
    if (key === undefined) return;
    this.#data.remove(key).then(
      ({ owners }: NodeWriteResult) => {
        reply.header('content-type', JSON_TYPE).send(`{"key":${JSON.stringify(key)},"deleted":true,${this.#nodeField},"owners":${ownersJson(owners)}}`);
      },
      (e: unknown) => this.#fail(reply, req.method, e),
    );
  };

  /** The validated key of a value route's path, or undefined once the error was answered. */
  #keyOf(req: FastifyRequest, reply: FastifyReply): string | undefined {
    try {
      return checkKey((req as KeyRequest).params.key, this.#maxKeyLength);
    } catch (e) {
      this.#fail(reply, req.method, e);
      return undefined;
    }
  }

  #fail(reply: FastifyReply, method: string, e: unknown): void {
    sendError(reply, method, e, this.#log);
  }
}

/** The body of a PUT answer (client-api.md §5.1); `nodeField` is `"node":"<id>"`, built once per listener. */
export function putAnswer(key: string, ttlMs: number, bytes: number, nodeField: string, owners: readonly string[]): string {
  const ttlField = ttlMs > 0 ? `,"ttl_ms":${ttlMs}` : '';
  return `{"key":${JSON.stringify(key)},"stored":true${ttlField},"bytes":${bytes},${nodeField},"owners":${ownersJson(owners)}}`;
}

/**
 * `JSON.stringify(owners)`, remembered for the last owners list by the (immutable) array's
 * identity: a single node's list never changes, so a write answer does not stringify it again.
 */
let lastOwners: readonly string[] | undefined;
let lastOwnersJson = '';
function ownersJson(owners: readonly string[]): string {
  if (owners !== lastOwners) {
    lastOwnersJson = JSON.stringify(owners);
    lastOwners = owners;
  }
  return lastOwnersJson;
}

/**
 * Serves the value routes with `routes`' handlers instead of Nest's: when Nest registers
 * `GET/PUT/HEAD/DELETE /v1/cache/:key` on `fastify`, this `onRoute` hook swaps the route's
 * handler (the route itself, its config, auth and drain hooks and the Swagger entry stay as
 * declared). An empty `:key` still goes to the not-found handler, as Nest's own wrapper does.
 * Must run before the app registers its routes (`beforeInit`).
 */
export function installCacheRoutes(fastify: FastifyInstance, routes: CacheRoutes): void {
  const byMethod: Readonly<Record<string, (req: FastifyRequest, reply: FastifyReply) => void>> = {
    GET: routes.get,
    PUT: routes.put,
    HEAD: routes.head,
    DELETE: routes.delete,
  };
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== CACHE_KEY_ROUTE || Array.isArray(route.method)) return;
    const handle = byMethod[route.method];
    if (handle === undefined) return;
    route.handler = function valueRoute(req, reply) {
      if ((req as KeyRequest).params.key === '') return void reply.callNotFound();
      handle(req, reply);
    } as RouteHandlerMethod;
  });
}
