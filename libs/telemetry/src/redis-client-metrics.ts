import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ValueType, type Counter, type Histogram, type Meter } from '@opentelemetry/api';

/**
 * The `node:diagnostics_channel` names the Redis backend (`@hypercache/redis-backend`) publishes
 * on. Telemetry knows them by name only (it imports no domain lib); the core's tests pin that they
 * match the publisher's constants.
 */
export const REDIS_CHANNELS = {
  /** One command answered or failed: `{command, durationMs, ok}`. */
  command: 'hypercache:redis.command',
  /** A connection event: `{event: 'connect' | 'ready' | 'close' | 'reconnecting' | 'error'}`. */
  connection: 'hypercache:redis.connection',
} as const;

/** What telemetry reads from a command event (the publisher's message, structurally). */
interface CommandEvent {
  readonly command: string;
  readonly durationMs: number;
  readonly ok: boolean;
}

/** What telemetry reads from a connection event. */
interface ConnectionEvent {
  readonly event: string;
}

/** Latency buckets of `redis.client.command.duration`, seconds: 100 µs … 2.5 s (the default command timeout is 1 s). */
const DURATION_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The Redis client series of a node over Redis (issue 15), fed by the backend's diagnostics
 * channels while {@link subscribe}d:
 * - `redis.client.commands` (counter, `command`) → `redis_client_commands_total`;
 * - `redis.client.errors` (counter, `command`) → `redis_client_errors_total`;
 * - `redis.client.command.duration` (histogram, seconds, `command`) → `redis_client_command_duration_{bucket,sum,count}`;
 * - `redis.client.connection.events` (counter, `event`) → `redis_client_connection_events_total`;
 * - `redis.client.reconnects` (counter) → `redis_client_reconnects_total`;
 * - `redis.client.connected` (gauge: 1 after `ready`, 0 after `close`/`reconnecting`/`error` and
 *   before the first `ready`) → `redis_client_connected`. Commands refused while not connected
 *   never reach Redis, so this gauge, not the error counter, is the outage signal.
 * Each event costs one or two synchronous instrument records; nothing is published when nothing subscribes.
 */
export class RedisClientMetrics {
  readonly #meters: ReadonlyArray<{ commands: Counter; errors: Counter; duration: Histogram; events: Counter; reconnects: Counter }>;
  #subscribed = false;
  #connected = 0;

  /** Instruments on every meter given (the Prometheus meter, and the OTLP one when exporting). */
  constructor(meters: readonly Meter[]) {
    this.#meters = meters.map((m) => ({
      commands: m.createCounter('redis.client.commands', { valueType: ValueType.INT, unit: '{command}', description: 'Redis commands sent, by command name' }),
      errors: m.createCounter('redis.client.errors', { valueType: ValueType.INT, unit: '{command}', description: 'Redis commands that failed or timed out, by command name' }),
      duration: m.createHistogram('redis.client.command.duration', {
        unit: 's',
        description: 'Redis command latency, by command name',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
      }),
      events: m.createCounter('redis.client.connection.events', { valueType: ValueType.INT, unit: '{event}', description: 'Redis connection events (connect, ready, close, reconnecting, error)' }),
      reconnects: m.createCounter('redis.client.reconnects', { valueType: ValueType.INT, unit: '{reconnect}', description: 'Redis reconnection attempts' }),
    }));
    for (const m of meters) {
      m.createObservableGauge('redis.client.connected', { valueType: ValueType.INT, description: 'Whether the Redis client is connected and ready (1) or not (0)' }).addCallback((r) =>
        r.observe(this.#connected),
      );
    }
  }

  /** Starts listening on {@link REDIS_CHANNELS} (idempotent). */
  subscribe(): void {
    if (this.#subscribed) return;
    this.#subscribed = true;
    subscribe(REDIS_CHANNELS.command, this.#onCommand);
    subscribe(REDIS_CHANNELS.connection, this.#onConnection);
  }

  /** Stops listening (idempotent). */
  unsubscribe(): void {
    if (!this.#subscribed) return;
    this.#subscribed = false;
    unsubscribe(REDIS_CHANNELS.command, this.#onCommand);
    unsubscribe(REDIS_CHANNELS.connection, this.#onConnection);
  }

  readonly #onCommand = (message: unknown): void => {
    const e = message as CommandEvent;
    const labels = { command: String(e.command).toLowerCase() };
    for (const m of this.#meters) {
      m.commands.add(1, labels);
      if (!e.ok) m.errors.add(1, labels);
      if (typeof e.durationMs === 'number' && e.durationMs >= 0) m.duration.record(e.durationMs / 1000, labels);
    }
  };

  readonly #onConnection = (message: unknown): void => {
    const event = String((message as ConnectionEvent).event);
    if (event === 'ready') this.#connected = 1;
    else if (event === 'close' || event === 'reconnecting' || event === 'error') this.#connected = 0;
    for (const m of this.#meters) {
      m.events.add(1, { event });
      if (event === 'reconnecting') m.reconnects.add(1);
    }
  };
}
