import { DistributedCache } from '@hypercache/distributed';
import { NODE_CACHE, NodeState, type NodeCache } from '@hypercache/node';
import { http } from '../support/http';
import { startNode } from '../support/start-node';

describe('one process, one core, three apps', () => {
  it('gives the three apps the very same data seam, dist cache and node state as the core', async () => {
    const node = await startNode();
    for (const app of [node.clientApi, node.management]) {
      expect(app.get(NODE_CACHE)).toBe(node.node.data);
    }
    expect(node.distGateway.get(DistributedCache)).toBe(node.node.cluster.dist);
    for (const app of [node.management, node.distGateway]) {
      expect(app.get(NodeState)).toBe(node.node.state);
    }
  });

  it('makes a write through the client API visible through the instances the other apps hold', async () => {
    const node = await startNode();
    await http('PUT', `${node.urls.api}/v1/cache/shared`, { body: 'one-core' });
    const viaManagement = (await node.management.get<NodeCache>(NODE_CACHE).get('shared'))?.value;
    const viaDist = node.distGateway.get(DistributedCache).handleGet('shared')?.value;
    expect(viaManagement?.toString()).toBe('one-core');
    expect(viaDist?.toString()).toBe('one-core');
  });

  it('keeps the engine serving when one app is closed', async () => {
    const node = await startNode();
    await http('PUT', `${node.urls.api}/v1/cache/survivor`, { body: 'still-here' });
    await node.management.close();
    expect(node.node.engine.get('survivor')?.toString()).toBe('still-here');
    const r = await http('GET', `${node.urls.api}/v1/cache/survivor`);
    expect(r.text).toBe('still-here');
  });

  it('listens on three distinct ports', async () => {
    const node = await startNode();
    expect(new Set([node.ports.api, node.ports.mgmt, node.ports.dist]).size).toBe(3);
  });
});
