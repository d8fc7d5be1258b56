import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * Logs every answered request of `fastify` on `log` with one `onResponse` hook: `debug` for
 * 1xx–3xx, `warn` for 4xx, `error` for 5xx, with `req.method`, `req.url` (path only: a query
 * such as `/dist/owners?key=` can carry a cache key), `res.statusCode` and `responseTime` (ms).
 * Nothing is built when the level is disabled. Headers are never logged. `okLevel` is the level
 * of 1xx–3xx answers (default `debug`; the client API uses `trace`).
 * Used on the management listener, and on the client API only at `trace`; the dist listener
 * carries no per-request logging (docs/decisions.md A6, D15, O9).
 */
export function installRequestLogging(fastify: FastifyInstance, log: Logger, okLevel: 'debug' | 'trace' = 'debug'): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : okLevel;
    if (log.isLevelEnabled(level)) {
      log[level](
        { req: { id: req.id, method: req.method, url: pathOf(req.url) }, res: { statusCode: status }, responseTime: Math.round(reply.elapsedTime * 1000) / 1000 },
        'request completed',
      );
    }
    done();
  });
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
