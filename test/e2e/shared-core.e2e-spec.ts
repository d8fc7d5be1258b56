import { HyperCache } from '@hypercache/cache-engine';
import { NodeState } from '@hypercache/membership';
import { http } from '../support/http';
import { startNode } from '../support/start-node';

describe('one process, one core, three apps', () => {
  it('gives the three apps the very same engine and node state as the core', async () => {
    const node = await startNode();
    const engine = node.core.get(HyperCache);
    for (const app of [node.clientApi, node.management, node.distGateway]) {
      expect(app.get(HyperCache)).toBe(engine);
      expect(app.get(NodeState)).toBe(node.core.get(NodeState));
    }
  });

  it('makes a write through the client API visible through the engine the other apps hold', async () => {
    const node = await startNode();
    await http('PUT', `${node.urls.api}/v1/cache/shared`, { body: 'one-core' });
    const viaManagement = node.management.get<HyperCache<Buffer>>(HyperCache).get('shared');
    const viaDist = node.distGateway.get<HyperCache<Buffer>>(HyperCache).get('shared');
    expect(viaManagement?.toString()).toBe('one-core');
    expect(viaDist?.toString()).toBe('one-core');
  });

  it('keeps the engine serving when one app is closed', async () => {
    const node = await startNode();
    await http('PUT', `${node.urls.api}/v1/cache/survivor`, { body: 'still-here' });
    await node.management.close();
    expect(node.core.get<HyperCache<Buffer>>(HyperCache).get('survivor')?.toString()).toBe('still-here');
    const r = await http('GET', `${node.urls.api}/v1/cache/survivor`);
    expect(r.text).toBe('still-here');
  });

  it('listens on three distinct ports', async () => {
    const node = await startNode();
    expect(new Set([node.ports.api, node.ports.mgmt, node.ports.dist]).size).toBe(3);
  });
});
