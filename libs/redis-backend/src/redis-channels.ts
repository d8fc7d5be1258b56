import { channel } from 'node:diagnostics_channel';

/**
 * Names of the `node:diagnostics_channel` channels the Redis backends publish on. Telemetry (the
 * server's metrics) subscribes by these names; nothing here imports telemetry. Publishing is
 * guarded by `hasSubscribers`, so without a subscriber a command pays one property read.
 */
export const RedisChannelName = {
  /** One Redis command (or pipeline) of a backend: {@link RedisCommandMessage}. */
  Command: 'hypercache:redis.command',
  /** A connection state change of a backend's client: {@link RedisConnectionMessage}. */
  Connection: 'hypercache:redis.connection',
} as const;

/** Message on {@link RedisChannelName.Command}: published once per backend command when it settles. */
export interface RedisCommandMessage {
  /** Backend operation / Redis command (`get`, `set`, `del`, `scan`, `ping`, …). */
  readonly command: string;
  /** Wall time from issue to settle, in ms. */
  readonly durationMs: number;
  /** Whether it succeeded. */
  readonly ok: boolean;
}

/** Connection events of the ioredis client (`Redis` or `Cluster`). */
export type RedisConnectionEvent = 'connect' | 'ready' | 'close' | 'reconnecting' | 'error';

/** Message on {@link RedisChannelName.Connection}. */
export interface RedisConnectionMessage {
  readonly event: RedisConnectionEvent;
}

/** The channels, created once per process (diagnostics channels are process-global by name). */
export const redisCommandChannel = channel(RedisChannelName.Command);
/** See {@link RedisChannelName.Connection}. */
export const redisConnectionChannel = channel(RedisChannelName.Connection);
