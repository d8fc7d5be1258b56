import type { FastifyInstance } from 'fastify';
import { PeerUnreachableError, type PeerAddress } from '@hypercache/transport';

/**
 * Test-only network isolation of one node's dist traffic (dist-protocol.md §18, issue 5
 * "partitioned node"). While {@link isolated} is true, every outbound peer call fails as
 * unreachable before touching the network and every inbound dist request has its socket
 * destroyed, so the node and the rest of the cluster each see the other as gone.
 *
 * Reachable only from code: `startServer(config, { peerFaults })`. The production entry
 * (`main.ts`) never passes one and no environment variable creates one, so production
 * configuration cannot enable it (docs/decisions.md R-section).
 */
export class PeerFaultSwitch {
  isolated = false;
}

/** Wraps a transport so each call fails as unreachable while `faults.isolated` (any method, present or future). */
export function isolatable<T extends object>(transport: T, faults: PeerFaultSwitch): T {
  return new Proxy(transport, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'close') return typeof v === 'function' ? v.bind(target) : v;
      return (...args: unknown[]) => {
        if (faults.isolated) {
          const peer = (args[0] ?? { id: '?', address: '?' }) as PeerAddress;
          return Promise.reject(new PeerUnreachableError(peer, 'health', false, 'isolated by the test fault switch'));
        }
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Drops every inbound dist request (socket destroyed) while `faults.isolated`. */
export function installInboundIsolation(fastify: FastifyInstance, faults: PeerFaultSwitch): void {
  fastify.addHook('onRequest', (req, _reply, done) => {
    if (faults.isolated) {
      req.raw.socket.destroy();
      return;
    }
    done();
  });
}
