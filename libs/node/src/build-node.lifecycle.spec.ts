import { createServer } from 'node:http';
import pino from 'pino';
import { loadServerConfig } from '@hypercache/config';
import { buildNode, type ClusterHyperNode, type NodeListener } from './build-node';

/** A real HTTP listener on 127.0.0.1:0 that records what the node looked like when it was bound and closed. */
function recorded(name: string, node: () => ClusterHyperNode, events: string[]): NodeListener {
  const server = createServer((_req, res) => res.end('ok'));
  const look = () => {
    const n = node();
    return `serving=${n.state.isServing} draining=${n.state.isDraining} swim=${n.cluster.detector.isRunning}`;
  };
  return {
    listen: async () => {
      events.push(`listen ${name} ${look()}`);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const a = server.address();
      return typeof a === 'object' && a ? a.port : 0;
    },
    close: async (timeoutMs) => {
      events.push(`close ${name} ${look()} budget=${timeoutMs > 0}`);
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('buildNode lifecycle', () => {
  it('starts the loops before the listeners and turns readiness on last; stops drain first, client API → management → dist, then the loops', async () => {
    const config = loadServerConfig({ HYPERCACHE_NODE_ID: 'life-1', HYPERCACHE_DIST_ADDR: '127.0.0.1:0', HYPERCACHE_HEARTBEAT: '1s' });
    const node = await buildNode(config, { log: pino({ level: 'silent' }) });
    if (node.backend !== 'memory') throw new Error('expected a cluster member');
    const events: string[] = [];
    const ports = await node.start(async () => {
      events.push(`open swim=${node.cluster.detector.isRunning}`);
      return { clientApi: recorded('api', () => node, events), management: recorded('mgmt', () => node, events), dist: recorded('dist', () => node, events) };
    });
    expect(Object.values(ports).every((p) => p > 0)).toBe(true);
    expect(node.state.isServing).toBe(true);
    await node.data.set('survives', Buffer.from('v'), 0);
    await node.stop();
    await node.stop(); // idempotent
    expect(events).toEqual([
      'open swim=true',
      'listen api serving=false draining=false swim=true',
      'listen mgmt serving=false draining=false swim=true',
      'listen dist serving=false draining=false swim=true',
      'close api serving=true draining=true swim=true budget=true',
      'close mgmt serving=true draining=true swim=true budget=true',
      'close dist serving=true draining=true swim=true budget=true',
    ]);
    expect(node.cluster.detector.isRunning).toBe(false);
  });
});
