/**
 * The subset of an ioredis `Redis` or `Cluster` client the Redis adapters use. Typed structurally so
 * the package needs ioredis only at the application's side (an optional peer dependency).
 */
export interface RedisLikeClient {
  /** ioredis connection status (`'ready'` when usable). */
  readonly status?: string;
  getBuffer(key: string): Promise<Buffer | null>;
  mgetBuffer(...keys: string[]): Promise<Array<Buffer | null>>;
  set(key: string, value: string | Buffer): Promise<unknown>;
  set(key: string, value: string | Buffer, px: 'PX', ms: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  smembers(key: string): Promise<string[]>;
  srem(key: string, ...members: string[]): Promise<number>;
  sadd(key: string, ...members: string[]): Promise<number>;
  pexpire(key: string, ms: number): Promise<number>;
  pttl(key: string): Promise<number>;
  scan(cursor: string | number, match: 'MATCH', pattern: string, count: 'COUNT', n: number): Promise<[string, string[]]>;
  // ioredis types these with variadic tuple overloads no structural signature matches.
  evalsha(...args: any[]): Promise<unknown>;
  eval(...args: any[]): Promise<unknown>;
  ping(): Promise<string>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off?(event: string, listener: (...args: any[]) => void): unknown;
  duplicate(): RedisLikeClient;
  quit(): Promise<unknown>;
  disconnect(): void;
  /** Cluster only: the node clients. */
  nodes?(role?: 'master' | 'slave' | 'all'): RedisLikeClient[];
}

/** Whether `client` is an ioredis `Cluster` (multi-key commands must stay within one slot). */
export function isCluster(client: RedisLikeClient): boolean {
  return typeof client.nodes === 'function' && (client as { isCluster?: boolean }).isCluster === true;
}
