import type { SeedJoinTracker } from '@hypercache/membership';

/** Outcome of one {@link ReadinessCheck}: up or down, with the details `/readyz` shows under its name. */
export interface ReadinessResult {
  readonly up: boolean;
  readonly details: Record<string, unknown>;
}

/**
 * One backend-specific condition of `GET /readyz` besides "listeners bound" and "not draining":
 * the cluster's seed join in memory mode, Redis answering in Redis mode. `name` is the terminus
 * indicator key of the probe's body.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): ReadinessResult | Promise<ReadinessResult>;
}

/** `cluster`: up once the node has reached one of its seeds (or has none). */
export function clusterJoinCheck(join: SeedJoinTracker): ReadinessCheck {
  return {
    name: 'cluster',
    check: () =>
      join.isJoined
        ? { up: true, details: { joined: true, evidence: join.evidence, via: join.joinedVia ?? null } }
        : { up: false, details: { joined: false, seeds: join.seedIds } },
  };
}

/** What {@link redisCheck} asks of the backend. */
export interface RedisPing {
  /** Whether the client's connection is ready (no command is sent). */
  isReady(): boolean;
  /** One PING, rejected after the command timeout. */
  ping(): Promise<void>;
}

/** `redis`: up while the backend's connection is ready and answers PING; down names why. */
export function redisCheck(redis: RedisPing, target: string): ReadinessCheck {
  return {
    name: 'redis',
    check: async () => {
      if (!redis.isReady()) return { up: false, details: { target, message: 'redis is not connected' } };
      try {
        await redis.ping();
        return { up: true, details: { target } };
      } catch (e) {
        return { up: false, details: { target, message: `redis did not answer PING: ${(e as Error).message}` } };
      }
    },
  };
}
