import pino from 'pino';
import { loadServerConfig } from '@hypercache/config';
import { buildNode } from './build-node';
import { describeNodeCacheConformance } from './testing/node-cache.conformance';

// A real single node (engine, ring, distributed cache, key browser) that owns every key; its
// listeners are never bound, the seam is exercised directly.
describeNodeCacheConformance('ClusterNodeCache (one in-memory node)', async () => {
  const config = loadServerConfig({ HYPERCACHE_NODE_ID: 'conf-1', HYPERCACHE_DIST_ADDR: '127.0.0.1:0', HYPERCACHE_LOG_LEVEL: 'silent' });
  const node = await buildNode(config, { log: pino({ level: 'silent' }) });
  return { cache: node.data, close: () => node.stop() };
});
