import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NodeState } from '@hypercache/node';
import { ApiError, sendError } from '@hypercache/http-kit';

const DRAINING_AT_ARRIVAL = Symbol('drainingAtArrival');
const DRAINING = new ApiError('DRAINING', 'node is draining; redirect to a peer');

/**
 * Decides draining at request *arrival*: a write that arrived before the node started draining
 * (SIGTERM, `/dist/drain`) finishes normally; one arriving after gets `503 DRAINING`
 * (client-api.md §3). Batch writes are answered per item (§5.8), so they are only flagged.
 */
export function installDrainGate(fastify: FastifyInstance, node: NodeState): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    if (!node.isDraining) return done();
    if ((req.method === 'PUT' || req.method === 'DELETE') && req.url.startsWith('/v1/cache/')) {
      sendError(reply, req.method, DRAINING);
      return;
    }
    (req as unknown as Record<symbol, boolean>)[DRAINING_AT_ARRIVAL] = true;
    done();
  });
}

/** True when the request arrived while the node was draining. */
export function isDrainingRequest(req: FastifyRequest): boolean {
  return (req as unknown as Record<symbol, boolean>)[DRAINING_AT_ARRIVAL] === true;
}
