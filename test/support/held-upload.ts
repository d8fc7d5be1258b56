import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { HttpResult } from './http';

/** An upload whose headers the server has provably received before the test sends its body. */
export interface HeldUpload {
  /**
   * Resolves once the server answered `100 Continue`. Node's HTTP server writes it when it has
   * parsed the request headers and, in the same synchronous turn, hands the request to the app
   * (fastify routes it and runs the `onRequest` hooks, where the client API decides draining at
   * arrival, docs/decisions.md S15). A signal sent after this can only be handled after that.
   * Rejects when the server answers with a final status instead.
   */
  readonly received: Promise<void>;
  /** Sends part of the body (resolves once it was handed to the socket). */
  write(chunk: Buffer): Promise<void>;
  /** Sends the rest of the body and reads the whole response. */
  finish(chunk?: Buffer): Promise<HttpResult>;
}

/**
 * Starts a request with `Expect: 100-continue` and a fixed `Content-Length` of `bytes`, holding the
 * body back until the test writes it. This is the race-free way to have a request "in flight" at a
 * given moment: no sleep, the server's own `100 Continue` is the condition. (undici refuses the
 * `expect` header, so this uses `node:http`.)
 */
export function heldUpload(url: string, o: { bytes: number; method?: string; headers?: Record<string, string> }): HeldUpload {
  const req = httpRequest(url, {
    method: o.method ?? 'PUT',
    agent: false,
    headers: { ...o.headers, expect: '100-continue', 'content-length': String(o.bytes) },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  response.catch(() => undefined); // observed through `received` / `finish`
  const received = new Promise<void>((resolve, reject) => {
    req.once('continue', () => resolve());
    response.then((res) => reject(new Error(`the server answered ${res.statusCode} instead of 100 Continue`)), reject);
  });
  req.flushHeaders();
  return {
    received,
    write: (chunk) => new Promise<void>((resolve, reject) => req.write(chunk, (e) => (e ? reject(e) : resolve()))),
    finish: async (chunk) => {
      req.end(chunk);
      const res = await response;
      const parts: Buffer[] = [];
      for await (const part of res) parts.push(part as Buffer);
      const body = Buffer.concat(parts);
      return {
        status: res.statusCode ?? 0,
        headers: res.headers,
        body,
        text: body.toString('utf8'),
        json: () => JSON.parse(body.toString('utf8')),
      };
    },
  };
}
