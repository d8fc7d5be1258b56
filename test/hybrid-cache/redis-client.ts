import Redis, { Cluster } from 'ioredis';
import { registerCleanup } from '../support/cleanup';

/** An ioredis client for tests: fails fast while disconnected, reconnects every 50 ms; closed after the file. */
export function redisClient(port: number): Redis {
  const client = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50, lazyConnect: false });
  client.on('error', () => undefined);
  registerCleanup(() => client.disconnect());
  return client;
}

/** An ioredis Cluster client for tests; closed after the file. */
export function clusterClient(startupNodes: Array<{ host: string; port: number }>): Cluster {
  const client = new Cluster(startupNodes, { enableOfflineQueue: true, clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: 1 } });
  client.on('error', () => undefined);
  registerCleanup(() => client.disconnect());
  return client;
}

/** Resolves once `client` is ready. */
export async function ready(client: Redis | Cluster): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}
