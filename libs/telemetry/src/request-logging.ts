import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * Logs every answered request of `fastify` on `log` with one `onResponse` hook: `debug` for
 * 1xx–3xx, `warn` for 4xx, `error` for 5xx, with `req.method`, `req.url` (path only: a query
 * such as `/dist/owners?key=` can carry a cache key), `res.statusCode` and `responseTime` (ms).
 * Nothing is built when the level is disabled. Headers are never logged.
 * Used on the management listener; the client API's value routes and the dist listener carry
 * no per-request logging (docs/decisions.md A6, D15).
 */
export function installRequestLogging(fastify: FastifyInstance, log: Logger): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
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
