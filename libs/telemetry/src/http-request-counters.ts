import type { FastifyInstance } from 'fastify';

/** Methods counted by name; anything else counts as `OTHER`. */
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'OTHER'] as const;
const STATUS_SLOTS = 600;

function methodIndex(method: string): number {
  switch (method) {
    case 'GET':
      return 0;
    case 'PUT':
      return 1;
    case 'POST':
      return 2;
    case 'DELETE':
      return 3;
    case 'HEAD':
      return 4;
    case 'PATCH':
      return 5;
    case 'OPTIONS':
      return 6;
    default:
      return 7;
  }
}

/** One series of {@link HttpRequestCounters.series}: requests and their summed latency. */
export interface HttpRequestSeries {
  readonly method: string;
  readonly status: number;
  readonly count: number;
  /** Sum of request durations (fastify `reply.elapsedTime`), seconds. */
  readonly seconds: number;
}

/**
 * Request counters of one listener, by method and status code: two typed-array increments per
 * response, no allocation, no label hashing (the per-request cost of the metrics). Read by the
 * metrics collection callback.
 */
export class HttpRequestCounters {
  readonly #counts = new Float64Array(METHODS.length * STATUS_SLOTS);
  readonly #millis = new Float64Array(METHODS.length * STATUS_SLOTS);

  /** Records one answered request. Status codes outside 100–599 count as 0. */
  record(method: string, status: number, elapsedMs: number): void {
    const slot = methodIndex(method) * STATUS_SLOTS + (status >= 100 && status < STATUS_SLOTS ? status : 0);
    this.#counts[slot]++;
    this.#millis[slot] += elapsedMs;
  }

  /** Non-zero series. */
  series(): HttpRequestSeries[] {
    const out: HttpRequestSeries[] = [];
    for (let slot = 0; slot < this.#counts.length; slot++) {
      const count = this.#counts[slot];
      if (count === 0) continue;
      out.push({ method: METHODS[Math.floor(slot / STATUS_SLOTS)], status: slot % STATUS_SLOTS, count, seconds: this.#millis[slot] / 1000 });
    }
    return out;
  }
}

/**
 * Counts every response of `fastify` into `counters` with one `onResponse` hook (after the
 * response is sent, so it adds nothing to the response latency).
 */
export function installRequestMetrics(fastify: FastifyInstance, counters: HttpRequestCounters): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    counters.record(req.method, reply.statusCode, reply.elapsedTime);
    done();
  });
}
