import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ApiError, STATUS_OF_CODE, type ErrorBody } from './api-error';
import { lingerOnClose } from './lingering-close';

const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'BAD_REQUEST',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'BAD_REQUEST',
  415: 'BAD_REQUEST',
  431: 'BAD_REQUEST',
  503: 'INTERNAL',
};

/**
 * Maps any error to a status and the spec's `{error, code}` body:
 * - {@link ApiError}: its own status and code;
 * - a lib error with a known `code` (`BAD_REQUEST`, `NOT_FOUND`, `DRAINING`, `INTERNAL`, …);
 * - framework errors carrying a 4xx `statusCode` (Nest `HttpException`, fastify body/URL errors);
 * - anything else: 500 `INTERNAL` with a generic message, logged once.
 */
export function toErrorResponse(err: unknown, log?: Logger): { status: number; body: ErrorBody } {
  if (err instanceof ApiError) return { status: err.status, body: { error: err.message, code: err.code } };
  const e = err as { code?: unknown; statusCode?: unknown; status?: unknown; message?: unknown } | null;
  if (e && typeof e.code === 'string' && e.code in STATUS_OF_CODE && typeof e.message === 'string') {
    const status = typeof e.status === 'number' ? e.status : STATUS_OF_CODE[e.code];
    return { status, body: { error: e.message, code: e.code } };
  }
  const status = err instanceof HttpException ? err.getStatus() : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if (status >= 400 && status < 500) {
    const message = err instanceof HttpException ? httpExceptionMessage(err) : String(e?.message ?? 'bad request');
    return { status, body: { error: message, code: CODE_OF_STATUS[status] ?? 'BAD_REQUEST' } };
  }
  log?.error({ err }, 'unhandled error');
  return { status: 500, body: { error: 'internal error', code: 'INTERNAL' } };
}

function httpExceptionMessage(err: HttpException): string {
  const r = err.getResponse();
  if (typeof r === 'string') return r;
  const m = (r as { message?: unknown }).message;
  return Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : err.message;
}

/**
 * Sends the error envelope on a fastify reply (HEAD responses carry no body). A 413 sent while
 * the body is still arriving closes the connection gently ({@link lingerOnClose}), so the client
 * reads the 413 instead of a reset and no over-cap body is read to its end.
 */
export function sendError(reply: FastifyReply, method: string, err: unknown, log?: Logger): void {
  const { status, body } = toErrorResponse(err, log);
  reply.code(status);
  if (status === 413 && !reply.request.raw.complete) {
    reply.header('connection', 'close');
    lingerOnClose(reply.request.raw.socket);
  }
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  if (method === 'HEAD') reply.send();
  else reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The one exception filter of each app: every error leaves as the JSON envelope. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  constructor(private readonly log?: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    sendError(http.getResponse<FastifyReply>(), req.method, exception, this.log);
  }
}
