import { randomBytes } from 'node:crypto';
import { HypercacheClient } from '@hypercache/client';
import { ClusterBackplane, ClusterL2 } from '@hypercache/client/hybrid';
import { backplaneConformance, l2AdapterConformance } from '@hypercache/hybrid-cache/testing';
import { startNode, type TestNode } from '../support/start-node';

const TOKEN = 'conformance-token';

describe('the cluster adapters pass the hybrid-cache conformance suites (issue 17)', () => {
  let node: TestNode;
  let client: HypercacheClient;
  const opened: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_AUTH_TOKEN: TOKEN });
    client = new HypercacheClient({ endpoints: node.urls.api, token: TOKEN });
  });

  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close()));
    await client.close();
  });

  describe(ClusterL2.name, () => {
    // A fresh key prefix per adapter: clear('') of one never touches another's keys.
    for (const c of l2AdapterConformance(() => new ClusterL2(client, { keyPrefix: `l2-${randomBytes(4).toString('hex')}:` }))) it(c.name, c.run);
  });

  describe(ClusterBackplane.name, () => {
    // Every instance on one bus (one key prefix); publishKeyMessages carries Set/Delete messages too.
    const make = (): ClusterBackplane => {
      const bp = new ClusterBackplane(client, { cacheName: 'conformance', keyPrefix: 'bp:', publishKeyMessages: true });
      opened.push(bp);
      return bp;
    };
    for (const c of backplaneConformance(make)) it(c.name, c.run);
  });
});
